using Contiv.Lab;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.Pipeline;
using Contiv.Tests.Ovs;
using Xunit;

namespace Contiv.Tests.Dataplane;

/// <summary>
/// Two "hosts", each a network namespace with its own ovs-vswitchd, linked by a veth underlay
/// (198.51.100.0/24 on each host's br-phy, as LAB.md describes): endpoints on different hosts talk
/// over VXLAN with their network's VNI, or on a VLAN network through an uplink (a second veth pair
/// between the hosts' integration bridges), and a policy on the destination's host stops new traffic.
/// </summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class TwoHostTests
{
    private const uint TunnelPortBase = 1000;
    private const uint UplinkPort = 100;

    private static Ipv4 Vtep(int host) => new(Ipv4.Parse("198.51.100.1").Value + (uint)host);

    private static HostState StateOf(int host, Encapsulation encap, Policy? policy)
    {
        LocalEndpoint a = new("a", 1, "02:02:0a:01:00:02", "10.1.0.2", 1, 1);
        LocalEndpoint b = new("b", 1, "02:02:0a:01:00:03", "10.1.0.3", 1, 2);
        var (local, remote) = host == 0 ? (a, b) : (b, a);
        var state = new HostState(new HostSettings(ForwardingMode.Bridge, ArpMode.Proxy, UplinkPort, Vtep(host)))
            .WithNetwork(new Network(1, 1, encap, encap == Encapsulation.Vxlan ? 5001u : 40u, "10.1.0.0/24", "10.1.0.1", "02:00:00:00:01:01"))
            .WithGroup(new EndpointGroup(1, 1, 1))
            .WithGroup(new EndpointGroup(2, 1, 1))
            .WithVtep(Vtep(1 - host), TunnelPortBase + (uint)(1 - host))
            .WithLocalEndpoint(local)
            .WithRemoteEndpoint(new RemoteEndpoint(remote.Id, remote.Mac, remote.Ip, remote.NetworkId, remote.GroupId, Vtep(1 - host)));
        return policy is null ? state : state.WithPolicy(policy).Attach(2, policy.Id);
    }

    [Theory]
    [InlineData(Encapsulation.Vxlan)]
    [InlineData(Encapsulation.Vlan)]
    public async Task Endpoints_on_two_hosts_talk_and_policy_applies_across_hosts(Encapsulation encap)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string[] hosts = ["h0" + suffix, "h1" + suffix];
        var sandboxes = new List<OvsSandbox>();
        var endpoints = new List<NetnsEndpoint>();
        try
        {
            foreach (var host in hosts)
            {
                await Ip("netns", "add", host);
                await Ip("-n", host, "link", "set", "lo", "up");
            }
            await Ip("link", "add", "u0" + suffix, "type", "veth", "peer", "name", "u1" + suffix);
            // The VLAN network's wire between the hosts' uplinks (a second veth pair).
            await Ip("link", "add", "l0" + suffix, "type", "veth", "peer", "name", "l1" + suffix);
            for (var h = 0; h < 2; h++)
            {
                var ovs = await OvsSandbox.StartAsync(hosts[h]);
                sandboxes.Add(ovs);
                await ovs.AddBridgeAsync("bi");
                await ovs.AddBridgeAsync("bp");
                var phy = ovs.BridgeName("bp");
                var underlay = $"u{h}{suffix}";
                await Ip("link", "set", underlay, "netns", hosts[h]);
                await Ip("-n", hosts[h], "link", "set", underlay, "up");
                await ovs.Vsctl("add-port", phy, underlay);
                await ovs.Ofctl("add-flow", phy, "actions=NORMAL");
                await Ip("-n", hosts[h], "addr", "add", $"{Vtep(h)}/24", "dev", phy);
                await Ip("-n", hosts[h], "link", "set", phy, "up");
                var tunnel = $"vx{h}{suffix}";
                await ovs.Vsctl("add-port", ovs.BridgeName("bi"), tunnel, "--", "set", "interface", tunnel, "type=vxlan",
                    "options:key=flow", "options:remote_ip=flow", $"ofport_request={TunnelPortBase + (uint)(1 - h)}");

                var uplink = $"l{h}{suffix}";
                await Ip("link", "set", uplink, "netns", hosts[h]);
                await Ip("-n", hosts[h], "link", "set", uplink, "up");
                await ovs.Vsctl("add-port", ovs.BridgeName("bi"), uplink, "--", "set", "interface", uplink, $"ofport_request={UplinkPort}");

                var endpoint = await NetnsEndpoint.CreateAsync(h == 0 ? "10.1.0.2/24" : "10.1.0.3/24",
                    h == 0 ? "02:02:0a:01:00:02" : "02:02:0a:01:00:03", "10.1.0.1");
                endpoints.Add(endpoint);
                await Ip("link", "set", endpoint.HostInterface, "netns", hosts[h]);
                await Ip("-n", hosts[h], "link", "set", endpoint.HostInterface, "up");
                await ovs.Vsctl("add-port", ovs.BridgeName("bi"), endpoint.HostInterface, "--", "set", "interface", endpoint.HostInterface, "ofport_request=1");
            }

            await Install(sandboxes, encap, policy: null);
            // The first packet towards a new VTEP only triggers OVS's ARP for the underlay next hop.
            Assert.True(await endpoints[0].PingAsync("10.1.0.3", timeoutSeconds: 1, count: 4), $"a (host 0) should reach b (host 1) over {encap}");
            Assert.True(await endpoints[1].PingAsync("10.1.0.2", timeoutSeconds: 1, count: 2), $"b (host 1) should reach a (host 0) over {encap}");

            await Install(sandboxes, encap, new Policy(9, 1, new PolicyRule(1, 10, RuleDirection.In, RuleAction.Deny, Protocol: IpProtocol.Icmp)));
            foreach (var ovs in sandboxes) await ovs.WaitForRevalidationAsync();
            Assert.False(await endpoints[0].PingAsync("10.1.0.3", timeoutSeconds: 1, count: 2), "b's host denies incoming icmp to b's group");
            Assert.True(await endpoints[1].PingAsync("10.1.0.2", timeoutSeconds: 1, count: 2), "a's group has no policy: b may still ping a");
        }
        finally
        {
            foreach (var endpoint in endpoints) await endpoint.DisposeAsync();
            foreach (var ovs in sandboxes) await ovs.DisposeAsync();
            foreach (var host in hosts) await Ip("netns", "del", host).ContinueWith(_ => { });
        }
    }

    /// <summary>Brings each host's integration bridge to its compiled state.</summary>
    private static async Task Install(IReadOnlyList<OvsSandbox> sandboxes, Encapsulation encap, Policy? policy)
    {
        for (var h = 0; h < sandboxes.Count; h++)
        {
            var ovs = sandboxes[h];
            await using var connection = await OpenFlowConnection.ConnectAsync("unix:" + Path.Combine(ovs.Directory, ovs.BridgeName("bi") + ".mgmt"));
            var installed = (await connection.DumpFlowsAsync()).Select(s => s.Flow).ToList();
            var installedGroups = await connection.DumpGroupsAsync();
            var compiled = FlowCompiler.Compile(StateOf(h, encap, policy), 1);
            await connection.ApplyBundleAsync(FlowDiff.Diff(compiled, installed, installedGroups).Operations().Select(OpenFlowSwitch.ToMessage));
        }
    }

    private static Task Ip(params string[] args) => NetnsEndpoint.Run(["ip", .. args]);
}
