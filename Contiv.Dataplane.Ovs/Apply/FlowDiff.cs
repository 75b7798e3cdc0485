using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.Pipeline;

namespace Contiv.Dataplane.Ovs.Apply;

/// <summary>
/// What must change for the installed flows and groups to become the desired ones. Flows are
/// identified by key (table, priority, match): a desired key not installed is an add, an installed
/// key not desired a (strict) delete, a key in both with other instructions or another cookie a modify.
/// </summary>
public sealed record FlowChanges(
    ImmutableArray<Flow> Adds,
    ImmutableArray<Flow> Modifies,
    ImmutableArray<Flow> Deletes,
    ImmutableArray<GroupEntry> GroupAdds,
    ImmutableArray<GroupEntry> GroupModifies,
    ImmutableArray<uint> GroupDeletes,
    ImmutableHashSet<FlowKey> CookieChanged)
{
    public bool IsEmpty => Adds.IsEmpty && Modifies.IsEmpty && Deletes.IsEmpty && GroupAdds.IsEmpty && GroupModifies.IsEmpty && GroupDeletes.IsEmpty;

    public int Count => Adds.Length + Modifies.Length + Deletes.Length + GroupAdds.Length + GroupModifies.Length + GroupDeletes.Length;

    /// <summary>
    /// The changes in the order a bundle must carry them: groups exist before flows point at
    /// them, flows stop pointing at groups before the groups go. A modify whose cookie changes is
    /// sent as an add (replace), see <see cref="AddFlow"/>.
    /// </summary>
    public ImmutableArray<FlowOp> Operations() =>
    [
        .. GroupAdds.Select(g => (FlowOp)new AddGroup(g)),
        .. GroupModifies.Select(g => (FlowOp)new ModifyGroup(g)),
        .. Adds.Select(f => (FlowOp)new AddFlow(f)),
        .. Modifies.Select(f => CookieChanged.Contains(f.Key) ? (FlowOp)new AddFlow(f) : new ModifyFlow(f)),
        .. Deletes.Select(f => (FlowOp)new DeleteFlow(f.Key)),
        .. GroupDeletes.Select(id => (FlowOp)new DeleteGroup(id)),
    ];
}

/// <summary>
/// A restart's hand-over: the new round goes in (every desired flow added or replaced, so each key
/// switches from old to new in place, never missing), then the old round goes out (stale keys
/// deleted strictly, then whatever still carries an old round's cookie, by cookie mask).
/// </summary>
public sealed record RoundSwapPlan(byte NewRound, ImmutableArray<FlowOp> Install, ImmutableArray<FlowOp> Retire)
{
    public ImmutableArray<FlowOp> Operations => [.. Install, .. Retire];
}

public static class FlowDiff
{
    public static FlowChanges Diff(CompiledFlows desired, IEnumerable<Flow> installed, IEnumerable<GroupEntry> installedGroups) =>
        Diff(desired.Flows, desired.Groups, installed, installedGroups);

    public static FlowChanges Diff(
        IEnumerable<Flow> desired, IEnumerable<GroupEntry> desiredGroups,
        IEnumerable<Flow> installed, IEnumerable<GroupEntry> installedGroups)
    {
        var installedByKey = ByKey(installed);
        var desiredByKey = ByKey(desired);
        var adds = ImmutableArray.CreateBuilder<Flow>();
        var modifies = ImmutableArray.CreateBuilder<Flow>();
        var cookieChanged = ImmutableHashSet.CreateBuilder<FlowKey>();

        foreach (var flow in desiredByKey.Values)
        {
            if (!installedByKey.TryGetValue(flow.Key, out var current))
            {
                adds.Add(flow);
            }
            else if (current.Cookie != flow.Cookie || !current.Instructions.Equals(flow.Instructions))
            {
                modifies.Add(flow);
                if (current.Cookie != flow.Cookie) cookieChanged.Add(flow.Key);
            }
        }

        var deletes = installedByKey.Values.Where(f => !desiredByKey.ContainsKey(f.Key));
        var (groupAdds, groupModifies, groupDeletes) = DiffGroups(desiredGroups, installedGroups);
        return new FlowChanges(
            [.. Canonical(adds)], [.. Canonical(modifies)], [.. Canonical(deletes)],
            groupAdds, groupModifies, groupDeletes, cookieChanged.ToImmutable());
    }

    public static RoundSwapPlan RoundSwap(CompiledFlows desired, IEnumerable<Flow> installed, IEnumerable<GroupEntry> installedGroups) =>
        RoundSwap(desired.Round, desired.Flows, desired.Groups, installed, installedGroups);

    public static RoundSwapPlan RoundSwap(
        byte newRound,
        IEnumerable<Flow> desired, IEnumerable<GroupEntry> desiredGroups,
        IEnumerable<Flow> installed, IEnumerable<GroupEntry> installedGroups)
    {
        var installedByKey = ByKey(installed);
        var desiredByKey = ByKey(desired);
        var (groupAdds, groupModifies, groupDeletes) = DiffGroups(desiredGroups, installedGroups);

        // Every desired flow that is not already exactly in place is added: an add replaces the
        // flow with the same key in one step, cookie included, so forwarding never has a gap.
        var install = ImmutableArray.CreateBuilder<FlowOp>();
        install.AddRange(groupAdds.Select(g => new AddGroup(g)));
        install.AddRange(groupModifies.Select(g => new ModifyGroup(g)));
        install.AddRange(Canonical(desiredByKey.Values.Where(f =>
                !installedByKey.TryGetValue(f.Key, out var current) || current.Cookie != f.Cookie || !current.Instructions.Equals(f.Instructions)))
            .Select(f => new AddFlow(f)));

        var retire = ImmutableArray.CreateBuilder<FlowOp>();
        retire.AddRange(Canonical(installedByKey.Values.Where(f => !desiredByKey.ContainsKey(f.Key))).Select(f => new DeleteFlow(f.Key)));
        retire.AddRange(installedByKey.Values.Select(f => FlowCookie.From(f.Cookie).Round).Where(r => r != newRound).Distinct().Order()
            .Select(round => new DeleteFlowsByCookie((ulong)round << 56, FlowCookie.RoundMask)));
        retire.AddRange(groupDeletes.Select(id => new DeleteGroup(id)));

        return new RoundSwapPlan(newRound, install.ToImmutable(), retire.ToImmutable());
    }

    private static Dictionary<FlowKey, Flow> ByKey(IEnumerable<Flow> flows)
    {
        var byKey = new Dictionary<FlowKey, Flow>();
        foreach (var flow in flows) byKey[flow.Key] = flow;
        return byKey;
    }

    private static (ImmutableArray<GroupEntry> Adds, ImmutableArray<GroupEntry> Modifies, ImmutableArray<uint> Deletes) DiffGroups(
        IEnumerable<GroupEntry> desired, IEnumerable<GroupEntry> installed)
    {
        var installedById = installed.ToDictionary(g => g.Id);
        var desiredById = desired.ToDictionary(g => g.Id);
        return (
            [.. desiredById.Values.Where(g => !installedById.ContainsKey(g.Id)).OrderBy(g => g.Id)],
            [.. desiredById.Values.Where(g => installedById.TryGetValue(g.Id, out var current) && !current.Equals(g)).OrderBy(g => g.Id)],
            [.. installedById.Keys.Where(id => !desiredById.ContainsKey(id)).Order()]);
    }

    /// <summary>A stable order for a set of flows (table, priority descending, match).</summary>
    private static IEnumerable<Flow> Canonical(IEnumerable<Flow> flows) =>
        flows.OrderBy(f => f.Table).ThenByDescending(f => f.Priority).ThenBy(f => f.Match.ToString(), StringComparer.Ordinal);
}
