using System.Collections.Immutable;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;

namespace Contiv.Master.Reads;

/// <summary>The rendered objects of one source (a tenant) and where its numbered changes stand.</summary>
public sealed record SourceObjects(Guid Incarnation, long Seq, ImmutableDictionary<ObjectKind, ImmutableSortedDictionary<string, string>> ByKind)
{
    public static SourceObjects From(Guid incarnation, long seq, IEnumerable<RenderedObject> objects) =>
        new SourceObjects(incarnation, seq, ImmutableDictionary<ObjectKind, ImmutableSortedDictionary<string, string>>.Empty).With(seq, objects);

    public SourceObjects With(long seq, IEnumerable<RenderedObject> objects)
    {
        var byKind = ByKind;
        foreach (var change in objects)
        {
            var names = byKind.GetValueOrDefault(change.Kind) ?? ImmutableSortedDictionary<string, string>.Empty;
            names = change.Json is null ? names.Remove(change.Name) : names.SetItem(change.Name, change.Json);
            byKind = names.IsEmpty ? byKind.Remove(change.Kind) : byKind.SetItem(change.Kind, names);
        }
        return this with { Seq = seq, ByKind = byKind };
    }
}

/// <summary>
/// A master's copy of every tenant's API views, fed by the tenants' numbered changes: lists and GETs are
/// answered from it without asking any entity. Pure. It is <see cref="Synced"/> once every tenant global
/// knows has sent a dump; until then its answers could miss tenants, and the gateway asks the entities.
/// </summary>
/// <param name="Sources">tenant → its objects, in the order lists give tenants</param>
/// <param name="Unsynced">tenants global listed that have not dumped yet; null while global's list is not known</param>
/// <param name="DumpsAsked">sources a dump was asked of and has not come yet</param>
public sealed record ReadModelState(
    ImmutableSortedDictionary<string, SourceObjects> Sources,
    ImmutableHashSet<string>? Unsynced,
    ImmutableHashSet<string> DumpsAsked)
{
    public static ReadModelState Empty { get; } = new(ImmutableSortedDictionary<string, SourceObjects>.Empty, null, []);

    public bool Synced => Unsynced is { IsEmpty: true };

    /// <summary>Global's tenants: each must dump before the model answers (those already here have).</summary>
    public ReadModelState Expecting(IEnumerable<string> tenants) =>
        this with { Unsynced = [.. tenants.Where(t => !Sources.ContainsKey(t))] };

    /// <summary>A change applies in order; a gap or an unknown incarnation means changes were missed: then
    /// <paramref name="askDump"/> says to ask the source for a dump (once until it comes).</summary>
    public ReadModelState Apply(ObjectsChanged change, out bool askDump)
    {
        askDump = false;
        if (Sources.TryGetValue(change.Source, out var source) && source.Incarnation == change.Incarnation)
        {
            if (change.Seq <= source.Seq) return this;
            if (change.Seq == source.Seq + 1) return this with { Sources = Sources.SetItem(change.Source, source.With(change.Seq, change.Objects)) };
        }
        if (DumpsAsked.Contains(change.Source)) return this;
        askDump = true;
        return this with { DumpsAsked = DumpsAsked.Add(change.Source) };
    }

    /// <summary>A dump replaces what the model holds for its source, unless it is older than the changes already applied.</summary>
    public ReadModelState Apply(ObjectsDump dump)
    {
        var asked = DumpsAsked.Remove(dump.Source);
        var unsynced = Unsynced?.Remove(dump.Source);
        if (Sources.TryGetValue(dump.Source, out var source) && source.Incarnation == dump.Incarnation && dump.Seq < source.Seq)
            return this with { DumpsAsked = asked, Unsynced = unsynced };
        return new ReadModelState(Sources.SetItem(dump.Source, SourceObjects.From(dump.Incarnation, dump.Seq, dump.Objects)), unsynced, asked);
    }

    /// <summary>A dump asked of a source that did not come (it did not answer in time): it may be asked again.</summary>
    public ReadModelState DumpLost(string source) => this with { DumpsAsked = DumpsAsked.Remove(source) };

    /// <summary>Has the model applied everything up to <paramref name="version"/>?</summary>
    public bool Reached(ReadVersion version) =>
        Sources.TryGetValue(version.Source, out var source) && source.Incarnation == version.Incarnation && source.Seq >= version.Seq;

    /// <summary>Every object of a kind, tenants in order, each tenant's in name order.</summary>
    public ImmutableArray<string> List(ObjectKind kind) =>
        [.. Sources.Values.SelectMany(s => s.ByKind.TryGetValue(kind, out var names) ? names.Values : [])];

    public string? Get(ObjectKind kind, string source, string name) =>
        Sources.TryGetValue(source, out var objects) && objects.ByKind.TryGetValue(kind, out var names) && names.TryGetValue(name, out var json) ? json : null;
}
