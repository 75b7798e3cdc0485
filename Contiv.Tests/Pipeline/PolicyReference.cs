using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Tests.Pipeline;

/// <summary>
/// DESIGN §5 written out directly, knowing nothing of flows: who may open a connection to whom.
/// </summary>
internal static class PolicyReference
{
    public static bool Reachable(Cluster cluster, ClusterEndpoint from, ClusterEndpoint to)
    {
        var a = cluster.NetworkOf(from);
        var b = cluster.NetworkOf(to);
        if (a.Vrf != b.Vrf) return false; // tenants never reach each other
        return cluster.Forwarding == ForwardingMode.Routing || a.Id == b.Id;
    }

    public static bool Admits(Cluster cluster, ClusterEndpoint from, ClusterEndpoint to, byte protocol, ushort port)
    {
        if (!Reachable(cluster, from, to)) return false;
        var sourceSide = RulesOf(cluster, from.Group, RuleDirection.Out);
        var destinationSide = RulesOf(cluster, to.Group, RuleDirection.In);
        return !Denies(sourceSide, from, to, protocol, port) && !Denies(destinationSide, from, to, protocol, port);
    }

    private static IEnumerable<PolicyRule> RulesOf(Cluster cluster, uint? group, RuleDirection direction) =>
        group is null
            ? []
            : cluster.Attachments.Where(a => a.Group == group).Select(a => cluster.Policies.Single(p => p.Id == a.Policy))
                .SelectMany(p => p.Rules.Values).Where(r => r.Direction == direction);

    /// <summary>The highest-priority matching rule decides; on a tie deny wins; no match allows.</summary>
    private static bool Denies(IEnumerable<PolicyRule> rules, ClusterEndpoint from, ClusterEndpoint to, byte protocol, ushort port)
    {
        var matching = rules.Where(r => Matches(r, from, to, protocol, port)).ToList();
        if (matching.Count == 0) return false;
        var top = matching.Max(r => r.Priority);
        return matching.Any(r => r.Priority == top && r.Action == RuleAction.Deny);
    }

    private static bool Matches(PolicyRule r, ClusterEndpoint from, ClusterEndpoint to, byte protocol, ushort port)
    {
        if (r.Protocol is { } p && p != protocol) return false;
        if (r.Port is { } rulePort && r.Protocol is null or IpProtocol.Tcp or IpProtocol.Udp)
        {
            if (protocol is not (IpProtocol.Tcp or IpProtocol.Udp) || port != rulePort) return false;
        }
        if (r.FromGroup is { } fg && fg != from.Group) return false;
        if (r.ToGroup is { } tg && tg != to.Group) return false;
        if (r.FromNetwork is { } fn && fn != from.Network) return false;
        if (r.ToNetwork is { } tn && tn != to.Network) return false;
        if (r.FromCidr is { } fc && !fc.Contains(from.Ip)) return false;
        if (r.ToCidr is { } tc && !tc.Contains(to.Ip)) return false;
        return true;
    }
}
