namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>Bytes that are not a valid OpenFlow 1.3 message as we understand it.</summary>
public sealed class OpenFlowDecodeException(string message) : Exception(message);

/// <summary>A model that cannot be expressed in OpenFlow 1.3 (e.g. a structure beyond 64 KiB).</summary>
public sealed class OpenFlowEncodeException(string message) : Exception(message);

/// <summary>The connection broke the protocol or was closed; pending requests fail with it.</summary>
public sealed class OpenFlowProtocolException(string message, Exception? inner = null) : Exception(message, inner);
