using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.Pipeline;
using Xunit;

namespace Contiv.Tests.Pipeline;

/// <summary>
/// The compiled flows, run by <see cref="PipelineSimulator"/>, against <see cref="PolicyReference"/>
/// (DESIGN §5 written directly) over every (source, destination, protocol, port) of random rule sets.
/// </summary>
public sealed class PolicyMatrixTests
{
    private static readonly byte[] Protocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp];
    private static readonly ushort[] Ports = [22, 80, 443];

    internal static Cluster RandomCluster(int seed, ForwardingMode forwarding, int hosts)
    {
        var rng = new Random(seed);
        T? Maybe<T>(T[] choices) where T : struct => rng.Next(4) == 0 ? choices[rng.Next(choices.Length)] : null;
        T? MaybeRef<T>(T[] choices) where T : class => rng.Next(4) == 0 ? choices[rng.Next(choices.Length)] : null;
        Policy RandomPolicy(uint id, uint vrf, uint[] groups, uint[] networks)
        {
            var rules = Enumerable.Range(1, 12).Select(i => new PolicyRule(
                (uint)i,
                rng.Next(1, 4), // few priorities: ties are common
                rng.Next(2) == 0 ? RuleDirection.In : RuleDirection.Out,
                rng.Next(2) == 0 ? RuleAction.Allow : RuleAction.Deny,
                Protocol: rng.Next(3) == 0 ? null : Protocols[rng.Next(Protocols.Length)],
                Port: Maybe(new ushort[] { 80, 443 }),
                FromGroup: Maybe(groups),
                ToGroup: Maybe(groups),
                FromNetwork: Maybe(networks),
                ToNetwork: Maybe(networks),
                FromCidr: MaybeRef(new[] { "10.1.0.0/24", "10.1.0.12/32", "10.2.0.0/16" }) is { } from ? (Ipv4Prefix?)Ipv4Prefix.Parse(from) : null,
                ToCidr: MaybeRef(new[] { "10.1.0.0/24", "10.1.0.21/32", "10.0.0.0/8" }) is { } to ? (Ipv4Prefix?)Ipv4Prefix.Parse(to) : null)).ToArray();
            return new Policy(id, vrf, rules);
        }

        uint[] tenantGroups = [1, 2, 3, 4];
        var policies = new[]
        {
            RandomPolicy(1, 1, tenantGroups, [1, 2, 4]),
            RandomPolicy(2, 1, tenantGroups, [1, 2, 4]),
            RandomPolicy(3, 1, tenantGroups, [1, 2, 4]),
            RandomPolicy(4, 2, [5], [3]),
        };
        var attachments = tenantGroups.SelectMany(g => new uint[] { 1, 2, 3 }.Where(_ => rng.Next(2) == 0).Select(p => (g, p)))
            .Append((5u, 4u)).ToArray();
        return Cluster.TwoTenants(forwarding, ArpMode.Proxy, hosts, policies, attachments);
    }

    public static TheoryData<int, ForwardingMode, int> Cases()
    {
        var data = new TheoryData<int, ForwardingMode, int>();
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            data.Add(seed, ForwardingMode.Routing, 1);
            data.Add(seed, ForwardingMode.Bridge, 1);
            data.Add(seed, ForwardingMode.Routing, 2);
            data.Add(seed, ForwardingMode.Bridge, 2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void New_connections_pass_exactly_when_DESIGN_section_5_admits_them(int seed, ForwardingMode forwarding, int hosts)
    {
        var cluster = RandomCluster(seed, forwarding, hosts);
        var simulators = Enumerable.Range(0, hosts).Select(h => new PipelineSimulator(FlowCompiler.Compile(cluster.For(h), 1))).ToArray();
        var checkedCases = 0;
        var admitted = 0;
        foreach (var from in cluster.Endpoints)
        foreach (var to in cluster.Endpoints.Where(e => e != from))
        foreach (var protocol in Protocols)
        foreach (var port in Ports)
        {
            var expected = PolicyReference.Admits(cluster, from, to, protocol, port);
            var actual = Deliver(cluster, simulators, from, to, protocol, port, CtStateBits.New);
            Assert.True(expected == actual,
                $"{from.Id}(g{from.Group},n{from.Network},h{from.Host}) → {to.Id}(g{to.Group},n{to.Network},h{to.Host}) proto {protocol} port {port}: expected {(expected ? "pass" : "drop")}");
            checkedCases++;
            if (expected) admitted++;
        }
        Assert.Equal(cluster.Endpoints.Length * (cluster.Endpoints.Length - 1) * 9, checkedCases);
        Assert.InRange(admitted, 1, checkedCases - 1); // the random rules both admit and refuse something
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Established_traffic_passes_whatever_the_rules_but_never_across_tenants(int seed, ForwardingMode forwarding, int hosts)
    {
        var cluster = RandomCluster(seed, forwarding, hosts);
        var simulators = Enumerable.Range(0, hosts).Select(h => new PipelineSimulator(FlowCompiler.Compile(cluster.For(h), 1))).ToArray();
        foreach (var from in cluster.Endpoints)
        foreach (var to in cluster.Endpoints.Where(e => e != from))
        {
            Assert.Equal(PolicyReference.Reachable(cluster, from, to), Deliver(cluster, simulators, from, to, IpProtocol.Tcp, 80, CtStateBits.Established));
        }
    }

    [Fact]
    public void An_admitted_new_connection_is_committed_and_a_refused_one_is_not()
    {
        var deny = new Policy(1, 1, new PolicyRule(1, 10, RuleDirection.In, RuleAction.Deny, IpProtocol.Tcp, 22));
        var cluster = Cluster.TwoTenants(ForwardingMode.Bridge, policies: [deny], attachments: [(2, 1)]);
        var simulator = new PipelineSimulator(FlowCompiler.Compile(cluster.For(0), 1));
        var (a, b) = (cluster.Endpoints[0], cluster.Endpoints[2]); // group 1 → group 2
        var allowed = simulator.Run(Cluster.Packet(a, b, IpProtocol.Tcp, 80), CtStateBits.New);
        Assert.True(allowed.DeliveredTo(b.Port));
        Assert.True(allowed.Committed);
        var refused = simulator.Run(Cluster.Packet(a, b, IpProtocol.Tcp, 22), CtStateBits.New);
        Assert.Empty(refused.Outputs);
        Assert.False(refused.Committed);
    }

    /// <summary>Runs the packet on the source's host and, when it leaves through a tunnel or the uplink, on the destination's host.</summary>
    internal static bool Deliver(Cluster cluster, PipelineSimulator[] hosts, ClusterEndpoint from, ClusterEndpoint to, byte protocol, ushort port, CtStateBits conntrack)
    {
        var first = hosts[from.Host].Run(Cluster.Packet(from, to, protocol, port), conntrack);
        // Tenants reuse addresses: a packet for another tenant's address reaches, at most, the
        // endpoint of the source's own tenant that holds it — never anything of another tenant.
        var tenant = cluster.NetworkOf(from).Vrf;
        // (An unknown address on a VLAN network is outside Contiv, on that network's own segment.)
        void OnlyOwnTenant(PipelineSimulator.Result result) => Assert.All(result.Outputs, o =>
        {
            if (o.Port == Cluster.UplinkPort) Assert.Equal(Encapsulation.Vlan, cluster.NetworkOf(from).Encap);
            else Assert.Equal(tenant, cluster.NetworkOf(cluster.Endpoints.Single(e => e.Port == o.Port)).Vrf);
        });
        if (from.Host == to.Host)
        {
            OnlyOwnTenant(first);
            return first.DeliveredTo(to.Port);
        }
        var network = cluster.NetworkOf(to);
        var wire = network.Encap == Encapsulation.Vxlan ? Cluster.TunnelPort(to.Host) : Cluster.UplinkPort;
        var leaving = first.Outputs.SingleOrDefault(o => o.Port == wire);
        if (leaving is null)
        {
            OnlyOwnTenant(first);
            return false;
        }
        Assert.Single(first.Outputs);
        if (network.Encap == Encapsulation.Vxlan) Assert.Equal(Cluster.Vtep(to.Host).Value, leaving.Packet[Field.TunIpv4Dst]);

        var arriving = new Dictionary<Field, ulong>();
        foreach (var field in new[] { Field.EthSrc, Field.EthDst, Field.EthType, Field.Ipv4Src, Field.Ipv4Dst, Field.IpProto, Field.TcpDst, Field.UdpDst, Field.TunnelId, Field.VlanVid })
        {
            if (leaving.Packet.TryGetValue(field, out var value)) arriving[field] = value;
        }
        arriving[Field.InPort] = network.Encap == Encapsulation.Vxlan ? Cluster.TunnelPort(from.Host) : Cluster.UplinkPort;
        var second = hosts[to.Host].Run(arriving, conntrack);
        OnlyOwnTenant(second);
        return second.DeliveredTo(to.Port);
    }
}
