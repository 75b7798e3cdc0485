using Contiv.Collections;

namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

public sealed record EchoRequest(ValueArray<byte> Data) : OfpMessage
{
    public EchoRequest() : this([]) { }
}

public sealed record EchoReply(ValueArray<byte> Data) : OfpMessage
{
    public EchoReply() : this([]) { }
}
