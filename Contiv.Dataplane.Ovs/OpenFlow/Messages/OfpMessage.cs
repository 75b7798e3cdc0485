namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

/// <summary>An OpenFlow 1.3 message body; the header's xid is given to or returned by <see cref="OpenFlowCodec"/>.</summary>
public abstract record OfpMessage;

/// <summary>A decoded message with the transaction id of its header.</summary>
public readonly record struct OfpEnvelope(uint Xid, OfpMessage Message);

/// <summary>A valid OpenFlow 1.3 message type we do not interpret (packet-in, port-status, ...).</summary>
public sealed record UnhandledMessage(MessageType Type, int Length) : OfpMessage;
