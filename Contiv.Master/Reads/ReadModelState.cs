using System.Collections.Immutable;
using System.Text;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Views;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Reads;

/// <summary>
/// A master's replica of one tenant: its state, folded from the same events the entity applied, and its API
/// views, each rendered the first time it is read after a change touched it (a write re-renders nothing).
/// </summary>
/// <param name="ServedBy">the cluster address of the master the tenant's entity runs on</param>
public sealed record TenantReplica(Guid Incarnation, long Seq, TenantState State, string ServedBy,
    ImmutableDictionary<ObjectKind, ImmutableSortedDictionary<string, Lazy<string>>> Views)
{
    public static TenantReplica From(TenantDump dump)
    {
        var state = TenantSnapshots.Restore(dump.Tenant, dump.Snapshot);
        var views = TenantKinds.ToImmutableDictionary(kind => kind, kind => TenantViewChanges.Names(state, kind)
            .ToImmutableSortedDictionary(name => name, name => Render(state, kind, name)));
        return new TenantReplica(dump.Incarnation, dump.Seq, state, dump.ServedBy, views) { TenantInspect = Inspect(state, dump.ServedBy) };
    }

    /// <summary>The replica after <paramref name="change"/>, and the views it changed (created, re-rendered or removed).</summary>
    public TenantReplica Apply(TenantChanged change, out IReadOnlySet<(ObjectKind Kind, string Name)> touched)
    {
        var after = change.Events.Aggregate(State, (s, e) => s.Apply(e));
        var views = Views;
        touched = TenantViewChanges.Touched(State, change.Events);
        foreach (var (kind, name) in touched)
        {
            var names = views.GetValueOrDefault(kind) ?? ImmutableSortedDictionary<string, Lazy<string>>.Empty;
            views = views.SetItem(kind, TenantViewChanges.Exists(after, kind, name) ? names.SetItem(name, Render(after, kind, name)) : names.Remove(name));
        }
        return this with { Seq = change.Seq, State = after, Views = views, TenantInspect = Inspect(after, ServedBy) };
    }

    public string? View(ObjectKind kind, string name) => LazyView(kind, name)?.Value;

    /// <summary>The view as this replica renders it when first read; null: no such object.</summary>
    public Lazy<string>? LazyView(ObjectKind kind, string name) =>
        Views.TryGetValue(kind, out var names) && names.TryGetValue(name, out var view) ? view : null;

    /// <summary>The tenant's inspect (all its objects and endpoints in Oper): rendered once per change, when first asked.</summary>
    public Lazy<string?> TenantInspect { get; private init; } = new(() => null);

    public IEnumerable<string> List(ObjectKind kind) => Views.TryGetValue(kind, out var names) ? names.Values.Select(v => v.Value) : [];

    public static readonly ImmutableArray<ObjectKind> TenantKinds = [.. ObjectKinds.All.Where(k => k.IsTenantScoped())];

    private static Lazy<string?> Inspect(TenantState state, string servedBy) =>
        new(() => TenantViews.Inspect(state, ObjectKind.Tenant, state.Name, null, servedBy: servedBy));

    private static Lazy<string> Render(TenantState state, ObjectKind kind, string name) => new(() => TenantViews.View(state, kind, name)!);
}

/// <summary>A master's replica of global: its state folded from the same events (its few views are rendered when read).</summary>
public sealed record GlobalReplica(Guid Incarnation, long Seq, Entities.Global.GlobalState State)
{
    public static GlobalReplica From(GlobalDump dump) =>
        new(dump.Incarnation, dump.Seq, Entities.Global.GlobalSnapshots.Restore(dump.Snapshot, dump.Snapshot.Config.FwdMode ?? "bridge"));

    public GlobalReplica Apply(GlobalChanged change) => this with { Seq = change.Seq, State = change.Events.Aggregate(State, (s, e) => s.Apply(e)) };
}

/// <summary>
/// A master's copy of every tenant and of global, fed by the tenants' numbered changes: lists, GETs and inspects are answered
/// from it without asking the tenant entities. Pure (views and list bodies are rendered lazily, once). It is
/// <see cref="Synced"/> once global and every tenant global knows have sent a dump; until then it could miss
/// objects, and requests wait.
/// </summary>
/// <param name="Global">global's replica, once it has dumped</param>
/// <param name="Tenants">tenant → its replica, in the order lists give tenants</param>
/// <param name="Unsynced">tenants global listed that have not dumped yet; null while global's list is not known</param>
/// <param name="DumpsAsked">tenants a dump was asked of that has not come yet</param>
/// <param name="Lists">per kind, the list's JSON body as the REST API sends it, encoded once after each change of the kind</param>
public sealed record ReadModelState(
    GlobalReplica? Global,
    ImmutableSortedDictionary<string, TenantReplica> Tenants,
    ImmutableHashSet<string>? Unsynced,
    ImmutableHashSet<string> DumpsAsked,
    ImmutableDictionary<ObjectKind, Lazy<byte[]>> Lists)
{
    public static ReadModelState Empty { get; } = new(null, ImmutableSortedDictionary<string, TenantReplica>.Empty, null, [],
        ImmutableDictionary<ObjectKind, Lazy<byte[]>>.Empty);

    public bool Synced => Global is not null && Unsynced is { IsEmpty: true };

    /// <summary>Global's tenants: each must dump before the model answers (those already here have).</summary>
    public ReadModelState Expecting(IEnumerable<string> tenants) =>
        this with { Unsynced = [.. tenants.Where(t => !Tenants.ContainsKey(t))] };

    /// <summary>A change applies in order; a gap or an unknown incarnation means changes were missed: then
    /// <paramref name="askDump"/> says to ask the tenant for a dump (once until it comes).</summary>
    public ReadModelState Apply(TenantChanged change, out bool askDump) => Apply(change, out askDump, out _);

    /// <param name="touched">the tenant's views the change created, re-rendered or removed; empty when it did not apply</param>
    public ReadModelState Apply(TenantChanged change, out bool askDump, out IReadOnlySet<(ObjectKind Kind, string Name)> touched)
    {
        askDump = false;
        touched = ImmutableHashSet<(ObjectKind, string)>.Empty;
        if (Tenants.TryGetValue(change.Tenant, out var replica) && replica.Incarnation == change.Incarnation)
        {
            if (change.Seq <= replica.Seq) return this;
            if (change.Seq == replica.Seq + 1)
            {
                var applied = replica.Apply(change, out touched);
                return WithTenants(Tenants.SetItem(change.Tenant, applied), touched.Select(t => t.Kind).Distinct());
            }
        }
        return AskingDump(change.Tenant, out askDump);
    }

    /// <summary>A dump replaces the tenant's replica, unless it is older than the changes already applied.</summary>
    public ReadModelState Apply(TenantDump dump)
    {
        var state = this with { DumpsAsked = DumpsAsked.Remove(dump.Tenant), Unsynced = Unsynced?.Remove(dump.Tenant) };
        if (Tenants.TryGetValue(dump.Tenant, out var replica) && replica.Incarnation == dump.Incarnation && dump.Seq < replica.Seq) return state;
        var fresh = TenantReplica.From(dump);
        // An entity started for a name someone asked about: keeping it would let a flood of such names grow every master.
        if (fresh.State.HoldsNothing) return replica is null ? state : state.WithTenants(Tenants.Remove(dump.Tenant), TenantReplica.TenantKinds);
        return state.WithTenants(Tenants.SetItem(dump.Tenant, fresh), TenantReplica.TenantKinds);
    }

    /// <summary>Global's changes, in order; a gap or an unknown incarnation asks for its dump.</summary>
    public ReadModelState Apply(GlobalChanged change, out bool askDump)
    {
        askDump = false;
        if (Global is { } global && global.Incarnation == change.Incarnation)
        {
            if (change.Seq <= global.Seq) return this;
            if (change.Seq == global.Seq + 1) return this with { Global = global.Apply(change) };
        }
        return AskingDump(ReadSources.Global, out askDump);
    }

    public ReadModelState Apply(GlobalDump dump)
    {
        var state = this with { DumpsAsked = DumpsAsked.Remove(ReadSources.Global) };
        if (Global is { } global && global.Incarnation == dump.Incarnation && dump.Seq < global.Seq) return state;
        return state with { Global = GlobalReplica.From(dump) };
    }

    /// <summary>Marks a dump as asked of <paramref name="source"/>; <paramref name="ask"/> is false when one already is.</summary>
    public ReadModelState AskingDump(string source, out bool ask)
    {
        ask = !DumpsAsked.Contains(source);
        return ask ? this with { DumpsAsked = DumpsAsked.Add(source) } : this;
    }

    /// <summary>A dump asked of a source did not come (it did not answer in time): it may be asked again.</summary>
    public ReadModelState DumpLost(string source) => this with { DumpsAsked = DumpsAsked.Remove(source) };

    /// <summary>Has the model applied everything up to <paramref name="version"/>?</summary>
    public bool Reached(ReadVersion version) => Position(version.Source) is { } at && at.Incarnation == version.Incarnation && at.Seq >= version.Seq;

    /// <summary>Does the model hold the incarnation <paramref name="version"/> was numbered in (so it will catch up by itself)?</summary>
    public bool Follows(ReadVersion version) => Position(version.Source)?.Incarnation == version.Incarnation;

    private (Guid Incarnation, long Seq)? Position(string source) => source == ReadSources.Global
        ? Global is { } global ? (global.Incarnation, global.Seq) : null
        : Tenants.TryGetValue(source, out var replica) ? (replica.Incarnation, replica.Seq) : null;

    /// <summary>What the model still waits for, for an operator: global, global's tenant list, or the tenants not loaded yet.</summary>
    public IReadOnlyList<string> Missing() =>
    [
        .. Global is null ? ["global"] : Array.Empty<string>(),
        .. Unsynced is null ? ["global's list of tenants"] : Unsynced.Order(StringComparer.Ordinal).Select(t => $"tenant {t}"),
    ];

    /// <summary>Can a read of one object be answered before the model is <see cref="Synced"/>? Yes once its source
    /// has loaded (a tenant the model does not hold may exist only while the model is not synced).</summary>
    public bool CanAnswer(ObjectKind kind, string tenant) =>
        Global is not null && (Synced || !kind.IsTenantScoped() || Tenants.ContainsKey(tenant));

    /// <summary>Whether the tenant exists as far as this model has seen.</summary>
    public bool HoldsTenant(string tenant) => Tenants.TryGetValue(tenant, out var replica) && replica.State.Exists;

    /// <summary>The tenant an endpoint is registered in, if this model holds it (a scan: inspects of endpoints are rare).</summary>
    public string? TenantOfEndpoint(string endpointId) =>
        Tenants.Values.FirstOrDefault(t => t.State.Endpoints.ContainsKey(endpointId))?.State.Name;

    /// <summary>Every object of a kind, tenants in order, each tenant's in name order.</summary>
    public IEnumerable<string> List(ObjectKind kind) => Tenants.Values.SelectMany(t => t.List(kind));

    /// <summary><see cref="List"/> as one JSON array, UTF-8.</summary>
    public byte[] ListBody(ObjectKind kind) => Lists.TryGetValue(kind, out var body) ? body.Value : Encode(Tenants, kind);

    /// <summary>A list of only some tenants' objects (an ops caller's), encoded on demand: those callers are few.</summary>
    public byte[] ListBody(ObjectKind kind, IEnumerable<string> tenants)
    {
        var visible = tenants.ToHashSet(StringComparer.Ordinal);
        return Encode(Tenants.Where(t => visible.Contains(t.Key)).ToImmutableSortedDictionary(StringComparer.Ordinal), kind);
    }

    public string? View(ObjectKind kind, string tenant, string name) =>
        Tenants.TryGetValue(tenant, out var replica) ? replica.View(kind, name) : null;

    private ReadModelState WithTenants(ImmutableSortedDictionary<string, TenantReplica> tenants, IEnumerable<ObjectKind> changedKinds) =>
        this with
        {
            Tenants = tenants,
            Lists = Lists.SetItems(changedKinds.Select(kind => KeyValuePair.Create(kind, new Lazy<byte[]>(() => Encode(tenants, kind))))),
        };

    private static byte[] Encode(ImmutableSortedDictionary<string, TenantReplica> tenants, ObjectKind kind) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",", tenants.Values.SelectMany(t => t.List(kind))) + "]");
}
