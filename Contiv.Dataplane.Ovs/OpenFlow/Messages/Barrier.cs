namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

public sealed record BarrierRequest : OfpMessage;

public sealed record BarrierReply : OfpMessage;
