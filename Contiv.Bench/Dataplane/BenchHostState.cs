using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Bench.Dataplane;

/// <summary>
/// The host state of one host in a cluster of <see cref="Hosts"/> hosts: one VXLAN network, 20
/// groups, endpoints spread evenly over hosts and groups (so a tenth of them are local), and one
/// policy per group; the rules are spread over the policies, alternately allow and deny, each
/// with its own TCP port and a source group, the way an operator writes them.
/// </summary>
public static class BenchHostState
{
    public const int Hosts = 10;
    public const int Groups = 20;

    public static HostState Build(int endpoints, int rules)
    {
        var state = new HostState(new HostSettings(ForwardingMode.Bridge, ArpMode.Proxy, null, Vtep(0)))
            .WithNetwork(new Network(1, 1, Encapsulation.Vxlan, 5001, Ipv4Prefix.Parse("10.0.0.0/8"), Ipv4.Parse("10.0.0.1"), new MacAddress(0x0200_0000_0001UL)));
        for (var host = 1; host < Hosts; host++) state = state.WithVtep(Vtep(host), 1000 + (uint)host);
        for (uint g = 1; g <= Groups; g++) state = state.WithGroup(new EndpointGroup(g, 1, 1));

        var address = Ipv4.Parse("10.0.0.2").Value;
        uint ofport = 1;
        for (var i = 0; i < endpoints; i++, address++)
        {
            var host = i % Hosts;
            var group = (uint)(i / Hosts % Groups) + 1;
            var mac = new MacAddress(0x0200_0000_0000UL | address);
            state = host == 0
                ? state.WithLocalEndpoint(new LocalEndpoint($"ep{i}", ofport++, mac, new Ipv4(address), 1, group))
                : state.WithRemoteEndpoint(new RemoteEndpoint($"ep{i}", mac, new Ipv4(address), 1, group, Vtep(host)));
        }
        return WithRules(state, rules, policyId: 1);
    }

    /// <summary>Adds <paramref name="rules"/> rules spread over one policy per group, policy ids from <paramref name="policyId"/>.</summary>
    public static HostState WithRules(HostState state, int rules, uint policyId)
    {
        for (uint g = 1; g <= Groups; g++)
        {
            var mine = Enumerable.Range(0, rules).Where(j => j % Groups == g - 1).Select(j => Rule((uint)j + 1, j)).ToArray();
            if (mine.Length == 0) continue;
            var id = policyId + g - 1;
            state = state.WithPolicy(new Policy(id, 1, mine)).Attach(g, id);
        }
        return state;
    }

    public static PolicyRule Rule(uint id, int j) =>
        new(id, j % 100 + 1, RuleDirection.In, j % 2 == 0 ? RuleAction.Allow : RuleAction.Deny,
            IpProtocol.Tcp, (ushort)(1000 + j), FromGroup: (uint)(j % Groups) + 1);

    private static Ipv4 Vtep(int host) => new(Ipv4.Parse("198.51.100.1").Value + (uint)host);
}
