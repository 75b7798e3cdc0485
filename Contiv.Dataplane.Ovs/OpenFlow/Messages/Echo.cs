namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

public sealed record EchoRequest(byte[] Data) : OfpMessage
{
    public EchoRequest() : this([]) { }
    public bool Equals(EchoRequest? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);
    public override int GetHashCode() => Data.Length;
}

public sealed record EchoReply(byte[] Data) : OfpMessage
{
    public EchoReply() : this([]) { }
    public bool Equals(EchoReply? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);
    public override int GetHashCode() => Data.Length;
}
