namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

public sealed record FeaturesRequest : OfpMessage;

public sealed record FeaturesReply(ulong DatapathId, uint Buffers, byte Tables, byte AuxiliaryId, uint Capabilities) : OfpMessage;
