using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;
using Xunit;

namespace Contiv.Tests.OpenFlow;

/// <summary>Our decoder reads back exactly the model our encoder wrote, for every case.</summary>
public sealed class CodecRoundTripTests
{
    public static TheoryData<string> Names => [.. CodecCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Decoding_our_encoding_gives_the_same_model(string name)
    {
        var (_, message, xid, _) = CodecCases.All.Single(c => c.Name == name);
        var decoded = OpenFlowCodec.Decode(OpenFlowCodec.Encode(message, xid));
        Assert.Equal(xid, decoded.Xid);
        Assert.Equal(message, decoded.Message);
    }

    [Fact]
    public void Match_fields_are_emitted_with_prerequisites_first_whatever_order_they_were_added_in()
    {
        var match = Match.Any.With(Field.TcpDst, 80).With(Field.Ipv4Dst, 1).With(Field.IpProto, 6).With(Field.EthType, 0x800).With(Field.Reg3, 1);
        var order = Oxm.InCanonicalOrder(match).Select(f => f.Field).ToArray();
        Assert.Equal([Field.Reg3, Field.EthType, Field.IpProto, Field.Ipv4Dst, Field.TcpDst], order);
    }

    [Fact]
    public void Error_names_and_offending_request_are_decoded()
    {
        var offending = OpenFlowCodec.Encode(FlowMod.Add(CodecCases.PolicyFlow), 0x1234);
        var bytes = OpenFlowCodec.Encode(new ErrorMessage(3, 2, offending[..64]), 0x1234);
        var error = Assert.IsType<ErrorMessage>(OpenFlowCodec.Decode(bytes).Message);
        Assert.Equal("OFPET_BAD_INSTRUCTION/OFPBIC_BAD_TABLE_ID", error.Name);
        Assert.Equal(0x1234u, error.OffendingXid);
        Assert.Equal(MessageType.FlowMod, error.OffendingType);
        Assert.Equal("OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT", OpenFlowErrors.Name(2, 4));
        Assert.Equal("ONFERR_ET_BUNDLE/OFPBFC_MSG_FAILED", OpenFlowErrors.Name(0xffff, 2313, Ofp.OnfExperimenter));
    }

    [Fact]
    public void Version_negotiation_picks_13_or_nothing()
    {
        Assert.Equal((byte)4, new Hello((1u << 1) | (1u << 4) | (1u << 6), 6).Negotiate());
        Assert.Null(new Hello(1u << 1, 1).Negotiate());
        Assert.Equal((byte)4, new Hello(null, 6).Negotiate());
        Assert.Null(new Hello(null, 1).Negotiate());
    }
}
