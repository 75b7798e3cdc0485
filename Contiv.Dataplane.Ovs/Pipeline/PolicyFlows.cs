using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using static Contiv.Dataplane.Ovs.Pipeline.PipelineTables;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// Tables 50 and 60: each side of DESIGN §5 in a table of its own. A rule becomes one flow per
/// group it is attached to (two when a port without protocol means tcp or udp); the flow matches
/// the group in a register, never endpoints, so the count is linear in rules. The table's
/// priority order is the rule order: <see cref="RulePriority"/> puts a higher rule priority above a
/// lower one and a deny above an allow of the same priority. A deny drops; an allow continues in
/// the next table, as does a miss (no rule matched: allow).
///
/// Rules of a group with no local endpoint are not compiled: the egress table only judges local
/// sources and the ingress table only local destinations (remote ones are judged on their host).
/// </summary>
public static class PolicyFlows
{
    /// <summary>Above every rule: packets whose side is judged on another host skip the table.</summary>
    public const ushort NotJudgedHerePriority = 1000;
    public const ushort RuleBasePriority = 100;

    /// <summary>The flow priority of a rule: 100 + 2·priority, + 1 for deny (102..301).</summary>
    public static ushort RulePriority(int rulePriority, RuleAction action) =>
        (ushort)(RuleBasePriority + 2 * Math.Clamp(rulePriority, PolicyRule.MinPriority, PolicyRule.MaxPriority) + (action == RuleAction.Deny ? 1 : 0));

    internal static IEnumerable<Flow> Fixed(Cookies cookies)
    {
        yield return new Flow(EgressPolicy.Id, NotJudgedHerePriority,
            Match.Any.RegBitsClear(Registers.Origin, Registers.FromLocalPort),
            Instructions.Goto(IngressPolicy.Id), cookies.Table(EgressPolicy));
        yield return new Flow(IngressPolicy.Id, NotJudgedHerePriority,
            Match.Any.RegBitsClear(Registers.Destination, Registers.DestinationLocal),
            Instructions.Goto(Commit.Id), cookies.Table(IngressPolicy));
    }

    internal static IEnumerable<Flow> Build(CompileContext c)
    {
        foreach (var (groupId, _) in c.State.Attachments)
        {
            if (!c.GroupsWithLocalEndpoints.Contains(groupId)) continue;
            foreach (var policy in c.State.PoliciesOf(groupId))
            {
                foreach (var rule in policy.Rules.Values)
                {
                    foreach (var flow in RuleFlows(groupId, rule, c.Cookies.Rule(policy.Id, rule.Id)))
                    {
                        yield return flow;
                    }
                }
            }
        }
    }

    /// <summary>The flows of one rule of a policy attached to <paramref name="groupId"/>.</summary>
    public static IEnumerable<Flow> RuleFlows(uint groupId, PolicyRule rule, ulong cookie)
    {
        var egress = rule.Direction == RuleDirection.Out;
        // The attached group is the source of an out rule and the destination of an in rule; a rule
        // naming another group on that same side can never match.
        if (egress && rule.FromGroup is { } from && from != groupId) yield break;
        if (!egress && rule.ToGroup is { } to && to != groupId) yield break;

        var table = egress ? EgressPolicy : IngressPolicy;
        var match = Match.Any.Ip()
            .Reg(egress ? Registers.SourceGroup : Registers.DestinationGroup, groupId);
        if (rule.FromGroup is { } fromGroup) match = match.Reg(Registers.SourceGroup, fromGroup);
        if (rule.ToGroup is { } toGroup) match = match.Reg(Registers.DestinationGroup, toGroup);
        if (rule.FromNetwork is { } fromNetwork) match = match.Reg(Registers.SourceNetwork, fromNetwork);
        if (rule.ToNetwork is { } toNetwork) match = match.Reg(Registers.DestinationNetwork, toNetwork);
        if (rule.FromCidr is { } fromCidr) match = match.Ipv4Src(fromCidr);
        if (rule.ToCidr is { } toCidr) match = match.Ipv4Dst(toCidr);

        var instructions = rule.Action == RuleAction.Deny ? Instructions.Drop : Instructions.Goto(Next(table).Id);
        var priority = RulePriority(rule.Priority, rule.Action);
        foreach (var protocolMatch in ProtocolMatches(match, rule.Protocol, rule.Port))
        {
            yield return new Flow(table.Id, priority, protocolMatch, instructions, cookie);
        }
    }

    private static IEnumerable<Match> ProtocolMatches(Match match, byte? protocol, ushort? port) => (protocol, port) switch
    {
        (null, null) => [match],
        (null, { } p) => [match.TcpDst(p), match.UdpDst(p)],
        (IpProtocol.Tcp, { } p) => [match.TcpDst(p)],
        (IpProtocol.Udp, { } p) => [match.UdpDst(p)],
        ({ } proto, _) => [match.IpProto(proto)], // a port means nothing to protocols other than tcp/udp
    };
}
