using System.Buffers.Binary;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;
using Xunit;

namespace Contiv.Tests.OpenFlow;

/// <summary>Bytes a broken or hostile switch could send: always our decode error, never a crash or a hang.</summary>
public sealed class MalformedInputTests
{
    [Fact]
    public void A_truncated_header_is_a_decode_error() =>
        Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(new byte[] { 4, 0, 0 }));

    [Fact]
    public void A_length_field_below_the_header_is_a_decode_error() =>
        Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(new byte[] { 4, 20, 0, 4, 0, 0, 0, 1 }));

    [Fact]
    public void A_length_field_smaller_or_larger_than_the_data_is_a_decode_error()
    {
        var bytes = OpenFlowCodec.Encode(new EchoRequest([1, 2, 3, 4]), 1);
        Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(bytes[..^2]));
        Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode([.. bytes, 0]));
    }

    [Fact]
    public void An_unknown_message_type_is_a_decode_error()
    {
        var ex = Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(new byte[] { 4, 200, 0, 8, 0, 0, 0, 1 }));
        Assert.Contains("unknown message type 200", ex.Message);
    }

    [Fact]
    public void A_valid_message_type_we_do_not_interpret_is_passed_on()
    {
        var decoded = OpenFlowCodec.Decode(new byte[] { 4, 12, 0, 8, 0, 0, 0, 1 });
        Assert.Equal(new UnhandledMessage(MessageType.PortStatus, 8), decoded.Message);
    }

    [Fact]
    public void An_unknown_oxm_class_in_a_flow_stats_reply_is_a_decode_error()
    {
        var bytes = OpenFlowCodec.Encode(new FlowStatsReply([new FlowStats(CodecCases.PolicyFlow, 0, 0, 0, FlowModFlags.None)]), 7);
        // header 8 + multipart 8 + flow stats fixed 48 + match type/length 4: the first OXM TLV
        var firstTlv = 8 + 8 + 48 + 4;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(firstTlv), 0x1234);
        var ex = Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(bytes));
        Assert.Contains("class 0x1234", ex.Message);
    }

    [Fact]
    public void A_zero_length_action_is_a_decode_error()
    {
        var flow = new Flow(0, 1, Match.Any, Instructions.Actions(new Output(1)), 0);
        var bytes = OpenFlowCodec.Encode(FlowMod.Add(flow), 7);
        // header 8 + flow mod 40 + empty match 8 + apply-actions header 8: the action's length field
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8 + 40 + 8 + 8 + 2), 0);
        var ex = Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(bytes));
        Assert.Contains("length 0", ex.Message);
    }

    // header 8 + multipart 8: the first ofp_group_desc; its first bucket follows the group's 8 bytes
    private const int FirstGroupDesc = 8 + 8;
    private const int FirstBucket = FirstGroupDesc + 8;

    private static byte[] TwoGroups() => OpenFlowCodec.Encode(new GroupDescReply([
        new GroupEntry(1, GroupType.All, [new Bucket([new Output(1)]), new Bucket([new Output(2)])]),
        new GroupEntry(2, GroupType.Select, [new Bucket([new Output(3)], 5)]),
    ]), 7);

    [Theory]
    [InlineData(0, "group desc length 0")]        // would never advance
    [InlineData(4, "group desc length 4")]        // shorter than its own header
    [InlineData(52, "group desc length 52")]      // not a multiple of 8
    [InlineData(0xfff8, "needs 65528 bytes")]     // runs past the message
    public void A_group_desc_length_that_cannot_be_right_is_a_decode_error(ushort length, string expected)
    {
        var bytes = TwoGroups();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(FirstGroupDesc), length);
        var ex = Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(bytes));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData(0, "bucket length 0")]
    [InlineData(8, "bucket length 8")]            // shorter than the bucket header
    [InlineData(36, "bucket length 36")]
    [InlineData(72, "needs 72 bytes")]            // beyond its group, though not beyond the message
    public void A_bucket_length_inconsistent_with_its_group_is_a_decode_error(ushort length, string expected)
    {
        var bytes = TwoGroups();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(FirstBucket), length);
        var ex = Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(bytes));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_group_type_we_do_not_model_is_a_decode_error()
    {
        var bytes = TwoGroups();
        bytes[FirstGroupDesc + 2] = 3; // fast failover
        var ex = Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(bytes));
        Assert.Contains("group type 3", ex.Message);
    }

    [Fact]
    public void Bytes_after_the_last_group_desc_that_are_not_a_group_are_a_decode_error()
    {
        var bytes = TwoGroups();
        byte[] withTail = [.. bytes, 0];
        BinaryPrimitives.WriteUInt16BigEndian(withTail.AsSpan(2), (ushort)withTail.Length);
        Assert.Throws<OpenFlowDecodeException>(() => OpenFlowCodec.Decode(withTail));
    }

    [Fact]
    public void A_group_desc_reply_without_groups_is_an_empty_list()
    {
        var decoded = OpenFlowCodec.Decode(OpenFlowCodec.Encode(new GroupDescReply([], More: true), 7));
        var reply = Assert.IsType<GroupDescReply>(decoded.Message);
        Assert.Empty(reply.Groups);
        Assert.True(reply.More);
    }

    [Fact]
    public void Every_truncation_and_byte_corruption_of_every_case_is_a_decode_error_or_a_message()
    {
        var random = new Random(42);
        foreach (var (_, message, xid, _) in CodecCases.All)
        {
            var bytes = OpenFlowCodec.Encode(message, xid);
            for (var cut = Ofp.HeaderLength; cut < bytes.Length; cut++)
            {
                var truncated = bytes[..cut];
                BinaryPrimitives.WriteUInt16BigEndian(truncated.AsSpan(2), (ushort)cut); // header agrees, body is short
                DecodeOrDecodeError(truncated);
            }
            for (var i = 0; i < 200 && bytes.Length > Ofp.HeaderLength; i++)
            {
                var corrupted = (byte[])bytes.Clone();
                corrupted[random.Next(Ofp.HeaderLength, corrupted.Length)] = (byte)random.Next(256);
                DecodeOrDecodeError(corrupted);
            }
        }
    }

    private static void DecodeOrDecodeError(byte[] bytes)
    {
        try
        {
            OpenFlowCodec.Decode(bytes);
        }
        catch (OpenFlowDecodeException)
        {
        }
    }
}
