using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.Pipeline;
using Xunit;

namespace Contiv.Tests.Pipeline;

public sealed class FlowCompilerTests
{
    private static readonly Cluster World = Cluster.TwoTenants(ForwardingMode.Routing, ArpMode.Proxy, hosts: 2,
        policies:
        [
            new Policy(1, 1,
                new PolicyRule(1, 10, RuleDirection.In, RuleAction.Deny, IpProtocol.Tcp, 22),
                new PolicyRule(2, 10, RuleDirection.In, RuleAction.Allow, IpProtocol.Tcp, 22, FromGroup: 2),
                new PolicyRule(3, 5, RuleDirection.Out, RuleAction.Deny, ToCidr: Ipv4Prefix.Parse("10.2.0.0/24"))),
            new Policy(2, 2, new PolicyRule(1, 1, RuleDirection.In, RuleAction.Allow, Port: 53)),
        ],
        attachments: [(1, 1), (2, 1), (5, 2)]);

    private static HostState Host0 => World.For(0);

    /// <summary>
    /// n groups on one network, 10 local and 5 remote endpoints each, and one policy per group with
    /// <paramref name="rulesPerGroup"/> in-rules (distinct ports, so no two rules share a flow).
    /// </summary>
    internal static HostState Grid(int groups, int rulesPerGroup, int localPerGroup = 10, int remotePerGroup = 5)
    {
        var state = new HostState(new HostSettings(ForwardingMode.Bridge, ArpMode.Proxy, null, "198.51.100.1"))
            .WithNetwork(new Network(1, 1, Encapsulation.Vxlan, 5001, "10.0.0.0/8", "10.0.0.1", "02:00:00:00:00:01"))
            .WithVtep("198.51.100.2", 1000);
        uint address = Ipv4.Parse("10.0.0.2").Value;
        for (uint g = 1; g <= groups; g++)
        {
            state = state.WithGroup(new EndpointGroup(g, 1, 1));
            var rules = Enumerable.Range(0, rulesPerGroup).Select(j => new PolicyRule((uint)j + 1, j % 100 + 1, RuleDirection.In,
                j % 2 == 0 ? RuleAction.Allow : RuleAction.Deny, IpProtocol.Tcp, (ushort)(1000 + j), FromGroup: (uint)(j % groups) + 1));
            state = state.WithPolicy(new Policy(g, 1, [.. rules])).Attach(g, g);
            for (var k = 0; k < localPerGroup; k++, address++)
            {
                state = state.WithLocalEndpoint(new LocalEndpoint($"l{g}-{k}", address, new MacAddress(0x0200_0000_0000UL | address), new Ipv4(address), 1, g));
            }
            for (var k = 0; k < remotePerGroup; k++, address++)
            {
                state = state.WithRemoteEndpoint(new RemoteEndpoint($"r{g}-{k}", new MacAddress(0x0200_0000_0000UL | address), new Ipv4(address), 1, g, "198.51.100.2"));
            }
        }
        return state;
    }

    /// <summary>The documented formula for <see cref="Grid"/>: tables + 9 fixed + 2 per VRF + 4 for the VXLAN network + 6 per local, 4 per remote endpoint, 1 per rule.</summary>
    private static int GridFlowCount(int locals, int remotes, int rules) => PipelineTables.All.Length + 9 + 2 + 4 + 6 * locals + 4 * remotes + rules;

    [Fact]
    public void Compiling_is_deterministic_and_independent_of_the_order_the_state_was_built_in()
    {
        var first = FlowCompiler.Compile(Host0, 3);
        Assert.Equal(first, FlowCompiler.Compile(Host0, 3));

        var rebuilt = new HostState(Host0.Settings);
        foreach (var e in Host0.RemoteEndpoints.Values.Reverse()) rebuilt = rebuilt.WithRemoteEndpoint(e);
        foreach (var e in Host0.LocalEndpoints.Values.Reverse()) rebuilt = rebuilt.WithLocalEndpoint(e);
        foreach (var (group, policies) in Host0.Attachments.Reverse()) foreach (var p in policies.Reverse()) rebuilt = rebuilt.Attach(group, p);
        foreach (var p in Host0.Policies.Values.Reverse()) rebuilt = rebuilt.WithPolicy(new Policy(p.Id, p.Vrf, [.. p.Rules.Values.Reverse()]));
        foreach (var g in Host0.Groups.Values.Reverse()) rebuilt = rebuilt.WithGroup(g);
        foreach (var n in Host0.Networks.Values.Reverse()) rebuilt = rebuilt.WithNetwork(n);
        foreach (var (vtep, port) in Host0.Vteps.Reverse()) rebuilt = rebuilt.WithVtep(vtep, port);

        Assert.Equal(Host0, rebuilt);
        Assert.Equal(first, FlowCompiler.Compile(rebuilt, 3));
        Assert.Equal(first.Flows.Length, first.Flows.Select(f => f.Key).Distinct().Count());
    }

    [Fact]
    public void Every_flow_lives_in_a_declared_table_and_only_jumps_forward_to_declared_tables()
    {
        var compiled = FlowCompiler.Compile(Host0, 1);
        foreach (var flow in compiled.Flows)
        {
            Assert.True(PipelineTables.IsDeclared(flow.Table), $"table {flow.Table}");
            if (flow.Instructions.GotoTable is { } next)
            {
                Assert.True(PipelineTables.IsDeclared(next) && next > flow.Table, $"{flow.Table} → {next}");
            }
            foreach (var ct in flow.Instructions.Apply.OfType<Ct>())
            {
                if (ct.RecirculateTable is { } table) Assert.True(PipelineTables.IsDeclared(table) && table > flow.Table);
            }
            foreach (var group in flow.Instructions.Apply.OfType<ToGroup>())
            {
                Assert.Contains(compiled.Groups, g => g.Id == group.GroupId);
            }
        }
    }

    [Fact]
    public void Each_table_has_the_miss_flow_its_declaration_says()
    {
        var compiled = FlowCompiler.Compile(Host0, 1);
        foreach (var table in PipelineTables.All)
        {
            var miss = Assert.Single(compiled.Flows, f => f.Table == table.Id && f.Priority == PipelineTables.MissPriority);
            Assert.Equal(Match.Any, miss.Match);
            if (table.Miss == TableMiss.Drop) Assert.Equal(Instructions.Drop, miss.Instructions);
            else Assert.Equal(PipelineTables.Next(table).Id, miss.Instructions.GotoTable);
        }
    }

    [Fact]
    public void Every_cookie_carries_the_round_and_names_an_owner_that_exists()
    {
        var state = Host0;
        var compiled = FlowCompiler.Compile(state, 7);
        var localIds = state.LocalEndpoints.Keys.ToDictionary(FlowCookie.IdOf);
        var remoteIds = state.RemoteEndpoints.Keys.ToDictionary(FlowCookie.IdOf);
        var ruleIds = state.Policies.Values.SelectMany(p => p.Rules.Keys.Select(r => Cookies.RuleOwnerId(p.Id, r))).ToHashSet();
        var vrfs = state.Networks.Values.Select(n => Cookies.VrfOwnerBase | n.Vrf).ToHashSet();
        foreach (var flow in compiled.Flows)
        {
            var cookie = FlowCookie.From(flow.Cookie);
            Assert.Equal(7, cookie.Round);
            switch (cookie.Kind)
            {
                case OwnerKind.Pipeline:
                    Assert.True(cookie.OwnerId == flow.Table || vrfs.Contains(cookie.OwnerId), $"pipeline owner {cookie.OwnerId:x}");
                    break;
                case OwnerKind.Network: Assert.Contains((uint)cookie.OwnerId, state.Networks.Keys); break;
                case OwnerKind.LocalEndpoint: Assert.True(localIds.ContainsKey(cookie.OwnerId)); break;
                case OwnerKind.RemoteEndpoint: Assert.True(remoteIds.ContainsKey(cookie.OwnerId)); break;
                case OwnerKind.Rule: Assert.Contains(cookie.OwnerId, ruleIds); break;
                default: Assert.Fail($"unexpected owner kind {cookie.Kind}"); break;
            }
        }
        // and every local endpoint owns its flows: classification, two spoof-guard flows, ARP, lookup, forwarding
        foreach (var endpoint in state.LocalEndpoints.Values)
        {
            Assert.Equal(6, compiled.OwnedBy(OwnerKind.LocalEndpoint, FlowCookie.IdOf(endpoint.Id)).Count());
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(40)]
    public void The_flow_count_is_linear_in_endpoints_plus_rules_as_groups_and_rules_grow(int n)
    {
        // n groups × n rules each (n² rules), 10 local + 5 remote endpoints per group
        var compiled = FlowCompiler.Compile(Grid(n, n), 1);
        int locals = 10 * n, remotes = 5 * n, rules = n * n;
        Assert.Equal(GridFlowCount(locals, remotes, rules), compiled.Count);
        Assert.True(compiled.Count < 10 * (locals + remotes + rules), "not endpoints × rules");
    }

    [Fact]
    public void Doubling_endpoints_or_rules_adds_their_share_and_nothing_multiplies()
    {
        var baseline = FlowCompiler.Compile(Grid(8, 8), 1).Count;
        var doubleEndpoints = FlowCompiler.Compile(Grid(8, 8, localPerGroup: 20, remotePerGroup: 10), 1).Count;
        var doubleRules = FlowCompiler.Compile(Grid(8, 16), 1).Count;
        Assert.Equal(6 * 80 + 4 * 40, doubleEndpoints - baseline);
        Assert.Equal(8 * 8, doubleRules - baseline);
    }

    [Fact]
    public void Every_local_endpoint_has_spoof_guard_flows_for_its_ip_and_arp_with_its_mac()
    {
        var compiled = FlowCompiler.Compile(Host0, 1);
        foreach (var endpoint in Host0.LocalEndpoints.Values)
        {
            var guards = compiled.InTable(PipelineTables.SpoofGuard).Where(f => f.Match.Get(Field.InPort)?.Value == endpoint.OfPort).ToList();
            Assert.Equal(2, guards.Count);
            Assert.All(guards, g => Assert.Equal(endpoint.Mac.Value, g.Match.Get(Field.EthSrc)?.Value));
            Assert.Contains(guards, g => g.Match.Get(Field.Ipv4Src)?.Value == endpoint.Ip.Value && g.Instructions.GotoTable == PipelineTables.DestinationLookup.Id);
            Assert.Contains(guards, g => g.Match.Get(Field.ArpSpa)?.Value == endpoint.Ip.Value && g.Match.Get(Field.ArpSha)?.Value == endpoint.Mac.Value);
        }
    }

    [Fact]
    public void A_spoofed_source_address_or_mac_is_dropped()
    {
        var simulator = new PipelineSimulator(FlowCompiler.Compile(Host0, 1));
        var (a, b) = (World.Endpoints[0], World.Endpoints[2]);
        var honest = Cluster.Packet(a, b, IpProtocol.Tcp, 80);
        Assert.True(simulator.Run(honest, CtStateBits.New).DeliveredTo(b.Port));
        var wrongIp = new Dictionary<Field, ulong>(honest) { [Field.Ipv4Src] = Ipv4.Parse("10.1.0.200").Value };
        Assert.Empty(simulator.Run(wrongIp, CtStateBits.New).Outputs);
        var wrongMac = new Dictionary<Field, ulong>(honest) { [Field.EthSrc] = 0x02_0000_00bad0UL };
        Assert.Empty(simulator.Run(wrongMac, CtStateBits.New).Outputs);
    }

    [Theory]
    [InlineData(ForwardingMode.Bridge)]
    [InlineData(ForwardingMode.Routing)]
    public void No_destination_lookup_crosses_a_tenant(ForwardingMode forwarding)
    {
        var cluster = Cluster.TwoTenants(forwarding, hosts: 2);
        var state = cluster.For(0);
        var compiled = FlowCompiler.Compile(state, 1);
        var endpointFlows = compiled.InTable(PipelineTables.DestinationLookup).Concat(compiled.InTable(PipelineTables.SourceLookup))
            .Where(f => FlowCookie.From(f.Cookie).Kind is OwnerKind.LocalEndpoint or OwnerKind.RemoteEndpoint).ToList();
        Assert.Equal(state.LocalEndpoints.Count + 2 * state.RemoteEndpoints.Count, endpointFlows.Count);
        foreach (var flow in endpointFlows)
        {
            var scopeVrf = flow.Match.Get(Registers.Field(Registers.Vrf))?.Value
                ?? state.Networks[(uint)flow.Match.Get(Registers.Field(Registers.SourceNetwork))!.Value.Value].Vrf;
            var setNetworks = flow.Instructions.Apply.OfType<SetField>()
                .Where(s => s.Field == Registers.Field(Registers.DestinationNetwork) || s.Field == Registers.Field(Registers.SourceNetwork))
                .Select(s => state.Networks[(uint)s.Value].Vrf);
            Assert.All(setNetworks, vrf => Assert.Equal(scopeVrf, vrf));
        }
        // the address both tenants use has one lookup in each
        var shared = Ipv4.Parse("10.1.0.11").Value;
        Assert.Equal(2, compiled.InTable(PipelineTables.DestinationLookup).Count(f => f.Match.Get(Field.Ipv4Dst)?.Value == shared));
    }

    [Fact]
    public void A_deny_outranks_an_allow_of_the_same_rule_priority_and_a_higher_priority_outranks_both()
    {
        for (var p = PolicyRule.MinPriority; p <= PolicyRule.MaxPriority; p++)
        {
            Assert.True(PolicyFlows.RulePriority(p, RuleAction.Deny) > PolicyFlows.RulePriority(p, RuleAction.Allow));
            if (p < PolicyRule.MaxPriority) Assert.True(PolicyFlows.RulePriority(p + 1, RuleAction.Allow) > PolicyFlows.RulePriority(p, RuleAction.Deny));
            Assert.True(PolicyFlows.RulePriority(p, RuleAction.Deny) < PolicyFlows.NotJudgedHerePriority);
        }
        // rules 1 (deny tcp/22) and 2 (allow tcp/22 from group 2) of policy 1 share priority 10
        var compiled = FlowCompiler.Compile(Host0, 1);
        var deny = compiled.OwnedBy(OwnerKind.Rule, Cookies.RuleOwnerId(1, 1)).ToList();
        var allow = compiled.OwnedBy(OwnerKind.Rule, Cookies.RuleOwnerId(1, 2)).ToList();
        Assert.NotEmpty(deny);
        Assert.NotEmpty(allow);
        Assert.All(deny, d => Assert.All(allow, a => Assert.True(d.Priority > a.Priority)));
        Assert.All(deny, d => Assert.Equal(Instructions.Drop, d.Instructions));
    }

    [Fact]
    public void Rules_of_a_group_without_local_endpoints_compile_to_nothing()
    {
        var state = Host0;
        var group2Local = state.LocalEndpoints.Values.Where(e => e.GroupId == 2).Select(e => e.Id).ToList();
        var without = group2Local.Aggregate(state, (s, id) => s.WithoutLocalEndpoint(id));
        var rulesBefore = FlowCompiler.Compile(state, 1).Flows.Count(f => FlowCookie.From(f.Cookie).Kind == OwnerKind.Rule);
        var rulesAfter = FlowCompiler.Compile(without, 1).Flows.Count(f => FlowCookie.From(f.Cookie).Kind == OwnerKind.Rule);
        Assert.True(group2Local.Count > 0);
        Assert.Equal(3, rulesBefore - rulesAfter); // policy 1's three rules were compiled for group 2 as well
    }

    [Fact]
    public void Proxy_arp_answers_for_a_known_endpoint_and_the_gateway_and_flood_mode_floods()
    {
        var (asker, target) = (World.Endpoints[0], World.Endpoints[2]);
        Dictionary<Field, ulong> Request(Ipv4 wanted) => new()
        {
            [Field.InPort] = asker.Port, [Field.EthSrc] = asker.Mac.Value, [Field.EthDst] = 0xFFFF_FFFF_FFFFUL, [Field.EthType] = 0x0806,
            [Field.ArpOp] = 1, [Field.ArpSha] = asker.Mac.Value, [Field.ArpSpa] = asker.Ip.Value, [Field.ArpTha] = 0, [Field.ArpTpa] = wanted.Value,
        };

        var proxy = new PipelineSimulator(FlowCompiler.Compile(Host0, 1));
        var reply = Assert.Single(proxy.Run(Request(target.Ip), CtStateBits.New).Outputs);
        Assert.Equal(asker.Port, reply.Port);
        Assert.Equal(2UL, reply.Packet[Field.ArpOp]);
        Assert.Equal(target.Mac.Value, reply.Packet[Field.ArpSha]);
        Assert.Equal(target.Ip.Value, reply.Packet[Field.ArpSpa]);
        Assert.Equal(asker.Mac.Value, reply.Packet[Field.ArpTha]);
        Assert.Equal(asker.Ip.Value, reply.Packet[Field.ArpTpa]);
        Assert.Equal(asker.Mac.Value, reply.Packet[Field.EthDst]);
        Assert.Equal(target.Mac.Value, reply.Packet[Field.EthSrc]);

        var gateway = World.NetworkOf(asker);
        var gatewayReply = Assert.Single(proxy.Run(Request(gateway.Gateway), CtStateBits.New).Outputs);
        Assert.Equal(gateway.GatewayMac.Value, gatewayReply.Packet[Field.ArpSha]);

        var floodWorld = World with { Arp = ArpMode.Flood };
        var flood = new PipelineSimulator(FlowCompiler.Compile(floodWorld.For(0), 1));
        var flooded = flood.Run(Request(target.Ip), CtStateBits.New).Outputs.Select(o => o.Port).ToHashSet();
        var sameNetwork = World.Endpoints.Where(e => e.Network == asker.Network && e != asker).ToList();
        // local ports of the network, and the tunnel to the other host (which holds the rest of the network)
        Assert.Equal(sameNetwork.Where(e => e.Host == 0).Select(e => e.Port).Append(Cluster.TunnelPort(1)).ToHashSet(), flooded);
    }
}
