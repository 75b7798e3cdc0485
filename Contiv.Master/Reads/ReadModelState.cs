using System.Collections.Immutable;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Views;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Reads;

/// <summary>
/// A master's replica of one tenant: its state, folded from the same events the entity applied, and its
/// API views rendered as they change, so a list is a concatenation of strings.
/// </summary>
/// <param name="ServedBy">the cluster address of the master the tenant's entity runs on</param>
public sealed record TenantReplica(Guid Incarnation, long Seq, TenantState State, string ServedBy,
    ImmutableDictionary<ObjectKind, ImmutableSortedDictionary<string, string>> Views)
{
    public static TenantReplica From(TenantDump dump)
    {
        var state = TenantSnapshots.Restore(dump.Tenant, dump.Snapshot);
        return new TenantReplica(dump.Incarnation, dump.Seq, state, dump.ServedBy,
            ImmutableDictionary<ObjectKind, ImmutableSortedDictionary<string, string>>.Empty).Rendered(TenantViewChanges.All(state));
    }

    public TenantReplica Apply(TenantChanged change)
    {
        var after = change.Events.Aggregate(State, (s, e) => s.Apply(e));
        return (this with { Seq = change.Seq, State = after }).Rendered(TenantViewChanges.Changed(State, change.Events, after));
    }

    public string? View(ObjectKind kind, string name) =>
        Views.TryGetValue(kind, out var names) && names.TryGetValue(name, out var json) ? json : null;

    private TenantReplica Rendered(IEnumerable<RenderedObject> objects)
    {
        var views = Views;
        foreach (var change in objects)
        {
            var names = views.GetValueOrDefault(change.Kind) ?? ImmutableSortedDictionary<string, string>.Empty;
            names = change.Json is null ? names.Remove(change.Name) : names.SetItem(change.Name, change.Json);
            views = names.IsEmpty ? views.Remove(change.Kind) : views.SetItem(change.Kind, names);
        }
        return this with { Views = views };
    }
}

/// <summary>
/// A master's copy of every tenant, fed by the tenants' numbered changes: lists, GETs and inspects are answered
/// from it without asking the tenant entities. Pure. It is <see cref="Synced"/> once every tenant global knows
/// has sent a dump; until then it could miss tenants, and requests wait.
/// </summary>
/// <param name="Tenants">tenant → its replica, in the order lists give tenants</param>
/// <param name="Unsynced">tenants global listed that have not dumped yet; null while global's list is not known</param>
/// <param name="DumpsAsked">tenants a dump was asked of that has not come yet</param>
public sealed record ReadModelState(
    ImmutableSortedDictionary<string, TenantReplica> Tenants,
    ImmutableHashSet<string>? Unsynced,
    ImmutableHashSet<string> DumpsAsked)
{
    public static ReadModelState Empty { get; } = new(ImmutableSortedDictionary<string, TenantReplica>.Empty, null, []);

    public bool Synced => Unsynced is { IsEmpty: true };

    /// <summary>Global's tenants: each must dump before the model answers (those already here have).</summary>
    public ReadModelState Expecting(IEnumerable<string> tenants) =>
        this with { Unsynced = [.. tenants.Where(t => !Tenants.ContainsKey(t))] };

    /// <summary>A change applies in order; a gap or an unknown incarnation means changes were missed: then
    /// <paramref name="askDump"/> says to ask the tenant for a dump (once until it comes).</summary>
    public ReadModelState Apply(TenantChanged change, out bool askDump)
    {
        askDump = false;
        if (Tenants.TryGetValue(change.Tenant, out var replica) && replica.Incarnation == change.Incarnation)
        {
            if (change.Seq <= replica.Seq) return this;
            if (change.Seq == replica.Seq + 1) return this with { Tenants = Tenants.SetItem(change.Tenant, replica.Apply(change)) };
        }
        return AskingDump(change.Tenant, out askDump);
    }

    /// <summary>A dump replaces the tenant's replica, unless it is older than the changes already applied.</summary>
    public ReadModelState Apply(TenantDump dump)
    {
        var asked = DumpsAsked.Remove(dump.Tenant);
        var unsynced = Unsynced?.Remove(dump.Tenant);
        if (Tenants.TryGetValue(dump.Tenant, out var replica) && replica.Incarnation == dump.Incarnation && dump.Seq < replica.Seq)
            return this with { DumpsAsked = asked, Unsynced = unsynced };
        return new ReadModelState(Tenants.SetItem(dump.Tenant, TenantReplica.From(dump)), unsynced, asked);
    }

    /// <summary>Marks a dump as asked of <paramref name="tenant"/>; <paramref name="ask"/> is false when one already is.</summary>
    public ReadModelState AskingDump(string tenant, out bool ask)
    {
        ask = !DumpsAsked.Contains(tenant);
        return ask ? this with { DumpsAsked = DumpsAsked.Add(tenant) } : this;
    }

    /// <summary>A dump asked of a tenant did not come (it did not answer in time): it may be asked again.</summary>
    public ReadModelState DumpLost(string tenant) => this with { DumpsAsked = DumpsAsked.Remove(tenant) };

    /// <summary>Has the model applied everything up to <paramref name="version"/>?</summary>
    public bool Reached(ReadVersion version) =>
        Tenants.TryGetValue(version.Tenant, out var replica) && replica.Incarnation == version.Incarnation && replica.Seq >= version.Seq;

    /// <summary>Does the model hold the incarnation <paramref name="version"/> was numbered in (so it will catch up by itself)?</summary>
    public bool Follows(ReadVersion version) =>
        Tenants.TryGetValue(version.Tenant, out var replica) && replica.Incarnation == version.Incarnation;

    /// <summary>Every object of a kind, tenants in order, each tenant's in name order.</summary>
    public ImmutableArray<string> List(ObjectKind kind) =>
        [.. Tenants.Values.SelectMany(t => t.Views.TryGetValue(kind, out var names) ? names.Values : [])];

    public string? View(ObjectKind kind, string tenant, string name) =>
        Tenants.TryGetValue(tenant, out var replica) ? replica.View(kind, name) : null;
}
