using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// Host state → the complete set of flows and groups, pure and deterministic. The pipeline it
/// fills is <see cref="PipelineTables"/>; the registers it uses are <see cref="Registers"/>; the
/// cookies it stamps are <see cref="Cookies"/>.
///
/// Flow count, with E local endpoints, R reachable remote endpoints, N networks, V VRFs and A
/// (rule, attached group with a local endpoint) pairs:
///   tables + 9 fixed + 2V + N·(3 + 1 VXLAN or VLAN-on-uplink classifier + 2 VLAN-on-uplink external)
///   + E·(5 + 1 proxy ARP) + R·(3 + 1 proxy ARP) + A (·2 for a port without protocol) — linear.
///
/// Two flows with one key (say two endpoints claiming one address during a move) cannot both be
/// installed: the one with the lower cookie is kept (Network &lt; LocalEndpoint &lt; RemoteEndpoint
/// &lt; Rule, then owner id), whatever the order of the input.
/// </summary>
public static class FlowCompiler
{
    public static CompiledFlows Compile(HostState state, byte round)
    {
        var context = new CompileContext(state, round);
        var flows = new Dictionary<FlowKey, Flow>();

        foreach (var flow in All(context))
        {
            if (!PipelineTables.IsDeclared(flow.Table)) throw new InvalidOperationException($"flow in undeclared table {flow.Table}");
            if (!flows.TryGetValue(flow.Key, out var existing) || flow.Cookie < existing.Cookie) flows[flow.Key] = flow;
        }

        return new CompiledFlows(
            round,
            [.. flows.Values.OrderBy(f => f.Table).ThenByDescending(f => f.Priority).ThenBy(f => f.Match.ToString(), StringComparer.Ordinal)],
            [.. FloodGroups.Build(context).OrderBy(g => g.Id)]);
    }

    private static IEnumerable<Flow> All(CompileContext c) =>
        PipelineTables.All.Select(t => PipelineTables.MissFlow(t, c.Cookies.Round))
            .Concat(SpoofGuardFlows.Fixed(c.Cookies))
            .Concat(ConntrackFlows.Fixed(c.Cookies))
            .Concat(PolicyFlows.Fixed(c.Cookies))
            .Concat(ForwardingFlows.Fixed(c.Cookies))
            .Concat(ClassificationFlows.Build(c))
            .Concat(SpoofGuardFlows.Build(c))
            .Concat(ArpFlows.Build(c))
            .Concat(LookupFlows.Build(c))
            .Concat(ConntrackFlows.Build(c))
            .Concat(PolicyFlows.Build(c))
            .Concat(ForwardingFlows.Build(c));
}
