using System.Text;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;
using Contiv.Dataplane.Ovs.Flows;
using Xunit;

namespace Contiv.Tests.OpenFlow;

/// <summary>The client against a scripted switch: negotiation, keep-alive and protocol errors end cleanly and in time.</summary>
public sealed class ConnectionProtocolTests
{
    private static readonly OpenFlowSettings Fast = OpenFlowSettings.Default with
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(3),
        EchoInterval = TimeSpan.FromMilliseconds(200),
        EchoTimeout = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task Garbage_after_hello_is_a_protocol_error_that_closes_the_connection()
    {
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.HandshakeAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: nonsense\r\n\r\n"));
            await FakeSwitch.DrainAsync(stream);
        });
        await using var connection = await OpenFlowConnection.ConnectAsync(fake.Target, Fast);
        var ex = await Assert.ThrowsAsync<OpenFlowProtocolException>(() => connection.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("protocol error", ex.Message);
        Assert.False(connection.IsConnected);
        await Assert.ThrowsAsync<OpenFlowProtocolException>(() => connection.BarrierAsync());
    }

    [Fact]
    public async Task A_header_length_below_8_fails_a_waiting_request_with_the_protocol_error()
    {
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.HandshakeAsync(stream);
            await FakeSwitch.ReadAsync(stream); // the barrier request
            await stream.WriteAsync(new byte[] { 4, 21, 0, 4, 0, 0, 0, 9 });
            await FakeSwitch.DrainAsync(stream);
        });
        await using var connection = await OpenFlowConnection.ConnectAsync(fake.Target, Fast with { EchoInterval = TimeSpan.Zero });
        var ex = await Assert.ThrowsAsync<OpenFlowProtocolException>(() => connection.BarrierAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("below the 8-byte header", ex.Message);
    }

    [Fact]
    public async Task A_switch_that_closes_mid_message_ends_the_connection()
    {
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.HandshakeAsync(stream);
            await stream.WriteAsync(new byte[] { 4, 21, 0, 64, 0, 0, 0, 9, 1, 2 }); // announces 64, sends 10
        });
        await using var connection = await OpenFlowConnection.ConnectAsync(fake.Target, Fast with { EchoInterval = TimeSpan.Zero });
        await Assert.ThrowsAsync<OpenFlowProtocolException>(() => connection.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_switch_without_openflow_13_is_refused_clearly()
    {
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.SendAsync(stream, new Hello(1u << 1, 1), 1);
            await FakeSwitch.DrainAsync(stream);
        });
        var ex = await Assert.ThrowsAsync<OpenFlowProtocolException>(() => OpenFlowConnection.ConnectAsync(fake.Target, Fast));
        Assert.Contains("does not speak OpenFlow 1.3", ex.Message);
    }

    [Fact]
    public async Task A_silent_switch_times_out_the_connect()
    {
        await using var fake = new FakeSwitch(FakeSwitch.DrainAsync);
        await Assert.ThrowsAsync<TimeoutException>(() => OpenFlowConnection.ConnectAsync(fake.Target, Fast with { ConnectTimeout = TimeSpan.FromMilliseconds(500) }));
    }

    [Fact]
    public async Task Echo_requests_are_answered_and_an_unanswered_echo_closes_the_connection()
    {
        var answered = new TaskCompletionSource<OfpEnvelope>();
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.HandshakeAsync(stream);
            await FakeSwitch.SendAsync(stream, new EchoRequest([7, 7]), 0x77);
            while (true)
            {
                var message = await FakeSwitch.ReadAsync(stream); // our echo requests stay unanswered
                if (message.Message is EchoReply) answered.TrySetResult(message);
            }
        });
        await using var connection = await OpenFlowConnection.ConnectAsync(fake.Target, Fast);
        var reply = await answered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new OfpEnvelope(0x77, new EchoReply([7, 7])), reply);
        var ex = await Assert.ThrowsAsync<OpenFlowProtocolException>(() => connection.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("no echo reply", ex.Message);
    }

    [Fact]
    public async Task Multipart_replies_are_followed_until_the_last_part()
    {
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.HandshakeAsync(stream);
            var request = await FakeSwitch.ReadAsync(stream);
            await FakeSwitch.SendAsync(stream, new PortDescReply([new PortDesc(1, "p1", 1)], More: true), request.Xid);
            await FakeSwitch.SendAsync(stream, new PortDescReply([new PortDesc(2, "p2", 2)]), request.Xid);
            await FakeSwitch.DrainAsync(stream);
        });
        await using var connection = await OpenFlowConnection.ConnectAsync(fake.Target, Fast with { EchoInterval = TimeSpan.Zero });
        var ports = await connection.GetPortsAsync();
        Assert.Equal(["p1", "p2"], ports.Select(p => p.Name));
        Assert.Equal(0xabcUL, connection.Features.DatapathId);
    }

    [Fact]
    public async Task Group_desc_parts_are_followed_until_the_last_one()
    {
        GroupEntry[] groups =
        [
            new(1, GroupType.All, [new Bucket([new Output(1)]), new Bucket([new Output(2)])]),
            new(2, GroupType.Select, [new Bucket([new Output(3)], 10)]),
        ];
        OfpMessage? asked = null;
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.HandshakeAsync(stream);
            var request = await FakeSwitch.ReadAsync(stream);
            asked = request.Message;
            await FakeSwitch.SendAsync(stream, new GroupDescReply([groups[0]], More: true), request.Xid);
            await FakeSwitch.SendAsync(stream, new GroupDescReply([groups[1]]), request.Xid);
            await FakeSwitch.DrainAsync(stream);
        });
        await using var connection = await OpenFlowConnection.ConnectAsync(fake.Target, Fast with { EchoInterval = TimeSpan.Zero });
        var read = await connection.DumpGroupsAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(groups, read);
        Assert.IsType<GroupDescRequest>(asked);
    }

    [Fact]
    public async Task A_reply_with_an_unknown_oxm_class_fails_that_request_and_the_session_goes_on()
    {
        await using var fake = new FakeSwitch(async stream =>
        {
            await FakeSwitch.HandshakeAsync(stream);
            var request = await FakeSwitch.ReadAsync(stream);
            var reply = Contiv.Dataplane.Ovs.OpenFlow.OpenFlowCodec.Encode(
                new FlowStatsReply([new FlowStats(CodecCases.PolicyFlow, 0, 0, 0, FlowModFlags.None)]), request.Xid);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8 + 8 + 48 + 4), 0x1234);
            await stream.WriteAsync(reply);
            var barrier = await FakeSwitch.ReadAsync(stream);
            await FakeSwitch.SendAsync(stream, new BarrierReply(), barrier.Xid);
            await FakeSwitch.DrainAsync(stream);
        });
        await using var connection = await OpenFlowConnection.ConnectAsync(fake.Target, Fast with { EchoInterval = TimeSpan.Zero });
        var ex = await Assert.ThrowsAsync<OpenFlowDecodeException>(() => connection.DumpFlowsAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("class 0x1234", ex.Message);
        await connection.BarrierAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(connection.IsConnected);
    }
}
