using Contiv.Lab;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.Pipeline;
using Contiv.Tests.Ovs;
using Xunit;

namespace Contiv.Tests.Dataplane;

/// <summary>
/// The whole dataplane on a real ovs-vswitchd: host state → compiled flows → bundles through our
/// OpenFlow client from the dataplane actor → real packets between two network namespaces,
/// allowed or dropped as the policy says.
/// </summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class DataplaneTrafficTests : TestKit
{
    private static readonly TimeSpan ApplyWait = TimeSpan.FromSeconds(20);

    private static HostState TwoEndpoints() => new HostState(new HostSettings(ForwardingMode.Bridge, ArpMode.Proxy, null, "198.51.100.1"))
        .WithNetwork(new Network(1, 1, Encapsulation.Vxlan, 5001, "10.1.0.0/24", "10.1.0.1", "02:00:00:00:01:01"))
        .WithGroup(new EndpointGroup(1, 1, 1))
        .WithGroup(new EndpointGroup(2, 1, 1))
        .WithLocalEndpoint(new LocalEndpoint("a", 1, "02:02:0a:01:00:02", "10.1.0.2", 1, 1))
        .WithLocalEndpoint(new LocalEndpoint("b", 2, "02:02:0a:01:00:03", "10.1.0.3", 1, 2));

    private static readonly Policy DenyTcp8080In = new(8, 1, new PolicyRule(1, 10, RuleDirection.In, RuleAction.Deny, Protocol: IpProtocol.Tcp, Port: 8080));

    private static readonly Policy DenyIcmpIn = new(7, 1, new PolicyRule(1, 10, RuleDirection.In, RuleAction.Deny, Protocol: IpProtocol.Icmp));

    [Fact]
    public async Task Ping_is_allowed_then_denied_by_an_in_rule_then_allowed_again()
    {
        await using var host = await OneHost.StartAsync();
        var (ovs, bridge, a, b) = (host.Ovs, host.Bridge, host.A, host.B);
        var dataplane = Sys.ActorOf(host.DataplaneProps(TestActor));

        var open = TwoEndpoints();
        dataplane.Tell(new ApplyHostState(open, 1));
        var applied = ExpectMsg<DataplaneApplied>(ApplyWait);
        Assert.Equal(1, applied.Version);
        var flowLines = (await ovs.Ofctl("dump-flows", bridge, "--no-stats")).Split('\n').Count(l => l.Contains("priority="));
        Assert.Equal(FlowCompiler.Compile(open, applied.Round).Count, flowLines);
        Assert.True(await a.PingAsync("10.1.0.3"), "a should reach b with no policy");

        dataplane.Tell(new ApplyHostState(open.WithPolicy(DenyIcmpIn).Attach(2, 7), 2));
        Assert.Equal(2, ExpectMsg<DataplaneApplied>(ApplyWait).Version);
        await ovs.WaitForRevalidationAsync();
        Assert.False(await a.PingAsync("10.1.0.3"), "b's group denies incoming icmp");
        Assert.True(await b.PingAsync("10.1.0.2"), "a's group has no policy: b may ping a (replies are established)");

        dataplane.Tell(new ApplyHostState(open.WithPolicy(DenyIcmpIn), 3));
        Assert.Equal(3, ExpectMsg<DataplaneApplied>(ApplyWait).Version);
        Assert.True(await a.PingAsync("10.1.0.3"), "the policy is detached again");
    }

    [Fact]
    public async Task An_established_tcp_connection_survives_a_deny_that_stops_new_ones()
    {
        await using var host = await OneHost.StartAsync();
        var (a, b) = (host.A, host.B);
        var dataplane = Sys.ActorOf(host.DataplaneProps(TestActor));

        var open = TwoEndpoints();
        dataplane.Tell(new ApplyHostState(open, 1));
        ExpectMsg<DataplaneApplied>(ApplyWait);

        using var server = await TcpEchoServer.StartAsync(b.Namespace, 8080);
        using var established = await TcpPeer.ConnectAsync(a.Namespace, "10.1.0.3", 8080);
        Assert.NotNull(established);
        Assert.True(await established.EchoAsync("before"));

        dataplane.Tell(new ApplyHostState(open.WithPolicy(DenyTcp8080In).Attach(2, 8), 2));
        Assert.Equal(2, ExpectMsg<DataplaneApplied>(ApplyWait).Version);
        await host.Ovs.WaitForRevalidationAsync();

        Assert.True(await established.EchoAsync("after"), "a rule change affects new connections only");
        using var fresh = await TcpPeer.ConnectAsync(a.Namespace, "10.1.0.3", 8080);
        Assert.Null(fresh);
    }

    [Fact]
    public async Task A_restarted_dataplane_swaps_in_a_new_round_without_breaking_a_live_connection()
    {
        await using var host = await OneHost.StartAsync();
        var first = Sys.ActorOf(host.DataplaneProps(TestActor));
        var state = TwoEndpoints();
        first.Tell(new ApplyHostState(state, 1));
        var before = ExpectMsg<DataplaneApplied>(ApplyWait);

        using var server = await TcpEchoServer.StartAsync(host.B.Namespace, 8080);
        using var connection = await TcpPeer.ConnectAsync(host.A.Namespace, "10.1.0.3", 8080);
        Assert.NotNull(connection);

        // Keep the connection busy the whole time the agent's dataplane goes away and comes back.
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var echoes = 0;
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await connection.EchoAsync("tick")) echoes++;
                else failures++;
                await Task.Delay(20);
            }
        });

        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first, ApplyWait);
        var second = Sys.ActorOf(host.DataplaneProps(TestActor));
        second.Tell(new ApplyHostState(state, 2));
        var after = ExpectMsg<DataplaneApplied>(ApplyWait);
        await Task.Delay(300);
        stop.Cancel();
        await traffic;

        Assert.NotEqual(before.Round, after.Round);
        Assert.Equal(0, failures);
        Assert.True(echoes > 0);
        var cookies = (await host.Ovs.Ofctl("dump-flows", host.Bridge, "--no-stats"))
            .Split('\n').Where(l => l.Contains("cookie=")).Select(l => Convert.ToUInt64(l.Split("cookie=0x")[1].Split(',')[0], 16)).ToList();
        Assert.Equal(FlowCompiler.Compile(state, after.Round).Count, cookies.Count);
        Assert.All(cookies, cookie => Assert.Equal(after.Round, (byte)(cookie >> 56)));
    }

    [Fact]
    public async Task After_ovs_vswitchd_restarts_the_dataplane_reconnects_and_puts_every_flow_back()
    {
        await using var host = await OneHost.StartAsync();
        var dataplane = Sys.ActorOf(host.DataplaneProps(TestActor));
        var state = TwoEndpoints().WithPolicy(DenyTcp8080In).Attach(2, 8);
        dataplane.Tell(new ApplyHostState(state, 1));
        ExpectMsg<DataplaneApplied>(ApplyWait);
        Assert.True(await host.A.PingAsync("10.1.0.3"));

        await host.Ovs.RestartSwitchAsync("br0", host.ControllerPort);

        ExpectMsg<DataplaneDisconnected>(ApplyWait);
        var again = ExpectMsg<DataplaneApplied>(ApplyWait);
        Assert.Equal(1, again.Version);
        var flows = (await host.Ovs.Ofctl("dump-flows", host.Bridge, "--no-stats")).Split('\n').Count(l => l.Contains("priority="));
        Assert.Equal(FlowCompiler.Compile(state, again.Round).Count, flows);
        Assert.True(await host.A.PingAsync("10.1.0.3", count: 3), "forwarding is back after the switch restart");
        using var server = await TcpEchoServer.StartAsync(host.B.Namespace, 8080);
        using var denied = await TcpPeer.ConnectAsync(host.A.Namespace, "10.1.0.3", 8080);
        Assert.Null(denied);
    }

    /// <summary>A sandboxed switch with endpoints a (ofport 1) and b (ofport 2) plugged in.</summary>
    private sealed record OneHost(OvsSandbox Ovs, int ControllerPort, NetnsEndpoint A, NetnsEndpoint B) : IAsyncDisposable
    {
        private static readonly DataplaneSettings Settings = DataplaneSettings.From(Akka.Configuration.Config.Empty);

        public string Bridge => Ovs.BridgeName("br0");

        public static async Task<OneHost> StartAsync()
        {
            var ovs = await OvsSandbox.StartAsync();
            var port = await ovs.AddBridgeAsync("br0");
            var a = await NetnsEndpoint.CreateAsync("10.1.0.2/24", "02:02:0a:01:00:02", "10.1.0.1");
            var b = await NetnsEndpoint.CreateAsync("10.1.0.3/24", "02:02:0a:01:00:03", "10.1.0.1");
            var host = new OneHost(ovs, port, a, b);
            await ovs.Vsctl("add-port", host.Bridge, a.HostInterface, "--", "set", "interface", a.HostInterface, "ofport_request=1");
            await ovs.Vsctl("add-port", host.Bridge, b.HostInterface, "--", "set", "interface", b.HostInterface, "ofport_request=2");
            return host;
        }

        public Props DataplaneProps(IActorRef reportTo) => DataplaneActor.Props(
            OpenFlowSwitch.Connector($"tcp:127.0.0.1:{ControllerPort}", Settings.OpenFlow), Settings, reportTo);

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Ovs.DisposeAsync();
        }
    }
}
