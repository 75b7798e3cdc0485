using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.Pipeline;
using Contiv.HostAgent.Translation;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Reads;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Xunit;

namespace Contiv.Tests.Pipeline;

/// <summary>
/// The console's verdict (computed by the masters from the intent) against what a host does: the same random intent
/// goes through the agent's translation and the flow compiler, and the simulated first packet of every (source,
/// destination, protocol, port) must pass exactly when <see cref="PolicyVerdicts"/> says it is admitted.
/// </summary>
public sealed class VerdictAgreementTests
{
    private const string Host = "h1";
    private static readonly (string Name, byte Number)[] Protocols = [("tcp", IpProtocol.Tcp), ("udp", IpProtocol.Udp), ("icmp", IpProtocol.Icmp)];

    private sealed record Intent(string FwdMode, ImmutableArray<NetworkView> Networks, ImmutableArray<EndpointGroupConfig> Groups,
        ImmutableArray<RuleConfig> Rules, ImmutableArray<EndpointInfo> Endpoints);

    private static Intent RandomIntent(int seed, string fwdMode)
    {
        var rng = new Random(seed);
        string? Maybe(params string[] choices) => rng.Next(4) == 0 ? choices[rng.Next(choices.Length)] : null;
        NetworkView Net(string tenant, string name, string encap, int tag, int vni, string subnet, string gateway, int tenantId) =>
            new(new NetworkConfig { TenantName = tenant, NetworkName = name, Encap = encap, Subnet = subnet, Gateway = gateway },
                new NetworkTags(encap, tag, vni), tenantId);
        ImmutableArray<NetworkView> networks =
        [
            Net("t1", "n1", "vxlan", 11, 5001, "10.1.0.0/24", "10.1.0.1", 1),
            Net("t1", "n2", "vxlan", 12, 5002, "10.2.0.0/24", "10.2.0.1", 1),
            Net("t1", "n4", "vlan", 40, 0, "10.4.0.0/24", "10.4.0.1", 1),
            Net("t2", "n3", "vxlan", 13, 6001, "10.1.0.0/24", "10.1.0.1", 2), // t2 reuses t1's subnet
        ];
        var policies = new[] { "p1", "p2", "p3" };
        EndpointGroupConfig Group(string tenant, string name, string network, IEnumerable<string> attached) =>
            new() { TenantName = tenant, GroupName = name, NetworkName = network, Policies = [.. attached] };
        string[] Some() => [.. policies.Where(_ => rng.Next(2) == 0)];
        ImmutableArray<EndpointGroupConfig> groups =
            [Group("t1", "g1", "n1", Some()), Group("t1", "g2", "n1", Some()), Group("t1", "g3", "n2", Some()), Group("t1", "g4", "n4", Some()), Group("t2", "g5", "n3", ["p4"])];
        var rules = new List<RuleConfig>();
        foreach (var (tenant, policy) in policies.Select(p => ("t1", p)).Append(("t2", "p4")))
        {
            for (var i = 1; i <= 12; i++)
            {
                rules.Add(new RuleConfig
                {
                    TenantName = tenant, PolicyName = policy, RuleId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Priority = rng.Next(1, 4), // few priorities: ties are common
                    Direction = rng.Next(2) == 0 ? "in" : "out",
                    Action = rng.Next(2) == 0 ? "allow" : "deny",
                    Protocol = rng.Next(3) == 0 ? null : Protocols[rng.Next(Protocols.Length)].Name,
                    Port = Maybe("80", "443") is { } port ? int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) : 0,
                    FromEndpointGroup = Maybe("g1", "g2", "g3", "g4", "ghost"),
                    ToEndpointGroup = Maybe("g1", "g2", "g3", "g4"),
                    FromNetwork = Maybe("n1", "n2", "n4"),
                    ToNetwork = Maybe("n1", "n2", "n4"),
                    FromIpAddress = Maybe("10.1.0.0/24", "10.1.0.12", "10.2.0.0/16"),
                    ToIpAddress = Maybe("10.1.0.0/24", "10.1.0.21/32", "10.0.0.0/8"),
                });
            }
        }
        var endpoints = new List<EndpointInfo>();
        void Add(string tenant, string network, string? group, string ip) =>
            endpoints.Add(new EndpointInfo($"e{endpoints.Count}", new EndpointSpec(tenant, network, group, $"c{endpoints.Count}", Host), ip, 24,
                Messages.Addressing.Ipv4.MacFor(Messages.Addressing.Ipv4.Parse(ip)), null));
        Add("t1", "n1", "g1", "10.1.0.11"); Add("t1", "n1", "g1", "10.1.0.12"); Add("t1", "n1", "g2", "10.1.0.21");
        Add("t1", "n1", null, "10.1.0.31"); Add("t1", "n2", "g3", "10.2.0.11"); Add("t1", "n4", "g4", "10.4.0.11");
        Add("t2", "n3", "g5", "10.1.0.11");
        return new Intent(fwdMode, networks, groups, [.. rules], [.. endpoints]);
    }

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        foreach (var seed in new[] { 11, 12, 13, 14, 15, 16 })
        {
            data.Add(seed, "bridge");
            data.Add(seed, "routing");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_consoles_verdict_is_what_the_compiled_flows_do_with_a_new_connection(int seed, string fwdMode)
    {
        var intent = RandomIntent(seed, fwdMode);
        var ports = intent.Endpoints.Select((e, i) => (e.Id, Port: (uint)(i + 1))).ToDictionary(x => x.Id, x => x.Port);
        var simulator = new PipelineSimulator(FlowCompiler.Compile(Translate(intent, ports), 1));
        var tenants = Tenants(intent);
        int judged = 0, admitted = 0;
        foreach (var from in intent.Endpoints)
        foreach (var to in intent.Endpoints.Where(e => e != from))
        foreach (var (name, number) in Protocols)
        foreach (var port in new ushort[] { 22, 80, 443 })
        {
            var (fromTenant, toTenant) = (tenants[from.Spec.Tenant], tenants[to.Spec.Tenant]);
            var verdict = PolicyVerdicts.Judge(fwdMode, fromTenant, fromTenant.Endpoints[from.Id], toTenant, toTenant.Endpoints[to.Id], port)
                .Verdicts.Single(v => v.Protocol == name);
            var delivered = simulator.Run(Packet(from, to, number, port, ports), CtStateBits.New).DeliveredTo(ports[to.Id]);
            Assert.True(verdict.Admitted == delivered,
                $"{from.Id}({from.Spec.Group},{from.Spec.Network}) → {to.Id}({to.Spec.Group},{to.Spec.Network}) {name}/{port}: console says " +
                $"{(verdict.Admitted ? "allow" : "deny")} ({verdict.Reason}; source: {verdict.Source?.Reason}; destination: {verdict.Destination?.Reason}), the flows {(delivered ? "deliver" : "drop")}");
            judged++;
            if (verdict.Admitted) admitted++;
        }
        Assert.Equal(intent.Endpoints.Length * (intent.Endpoints.Length - 1) * 9, judged);
        Assert.InRange(admitted, 1, judged - 1); // the random rules both admit and refuse something
    }

    private static HostState Translate(Intent intent, IReadOnlyDictionary<string, uint> ports)
    {
        FeedView[] views =
        [
            new SettingsView(intent.FwdMode, "proxy"),
            new HostView(Host, "192.0.2.1", "uplink", "akka.tcp://contiv@192.0.2.1:4100"),
            .. intent.Networks,
            .. intent.Groups.Select(g => new GroupView(g)),
            .. intent.Rules.Select(r => (r.TenantName!, r.PolicyName!)).Distinct().Select(p => new PolicyView(p.Item1, p.Item2)),
            .. intent.Rules.Select(r => new RuleView(r)),
            .. intent.Endpoints.Select(e => new EndpointView(e)),
        ];
        var facts = new HostFacts(Host, Ipv4.Parse("192.0.2.1"), 100, ports, new Dictionary<Ipv4, uint>());
        var state = HostStateTranslator.Translate(views, facts, IdTable.Empty).State;
        Assert.Equal(intent.Endpoints.Length, state.LocalEndpoints.Count);
        return state;
    }

    private static ImmutableDictionary<string, TenantState> Tenants(Intent intent) =>
        intent.Networks.Select(n => n.Config.TenantName!).Distinct().ToImmutableDictionary(t => t, t => new TenantState
        {
            Name = t, Exists = true,
            Networks = intent.Networks.Where(n => n.Config.TenantName == t)
                .ToImmutableSortedDictionary(n => n.Config.NetworkName!, n => new NetworkEntry(n.Config, n.Tags)),
            Groups = intent.Groups.Where(g => g.TenantName == t).ToImmutableSortedDictionary(g => g.GroupName!, g => g),
            Rules = intent.Rules.Where(r => r.TenantName == t).ToImmutableSortedDictionary(r => TenantState.RuleKey(r.PolicyName!, r.RuleId!), r => r),
            Endpoints = intent.Endpoints.Where(e => e.Spec.Tenant == t)
                .ToImmutableSortedDictionary(e => e.Id, e => new TenantEndpoint(e.Id, e.Spec, e), StringComparer.Ordinal),
        });

    private static Dictionary<Field, ulong> Packet(EndpointInfo from, EndpointInfo to, byte protocol, ushort port, IReadOnlyDictionary<string, uint> ports)
    {
        var packet = new Dictionary<Field, ulong>
        {
            [Field.InPort] = ports[from.Id],
            [Field.EthSrc] = MacAddress.Parse(from.MacAddress).Value,
            [Field.EthDst] = MacAddress.Parse(to.MacAddress).Value,
            [Field.EthType] = 0x0800,
            [Field.Ipv4Src] = Ipv4.Parse(from.IpAddress).Value,
            [Field.Ipv4Dst] = Ipv4.Parse(to.IpAddress).Value,
            [Field.IpProto] = protocol,
        };
        if (protocol == IpProtocol.Tcp) packet[Field.TcpDst] = port;
        if (protocol == IpProtocol.Udp) packet[Field.UdpDst] = port;
        return packet;
    }
}
