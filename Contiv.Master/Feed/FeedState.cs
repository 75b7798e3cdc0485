using System.Collections.Immutable;
using Contiv.Messages.Feed;

namespace Contiv.Master.Feed;

/// <summary>What the feed knows of one source: the incarnation and change number it is at, and the keys it owns.</summary>
public sealed record SourceTrack(Guid Incarnation, long Seq, ImmutableHashSet<FeedKey> Keys);

/// <summary>
/// The feed's state, pure: every view agents need, the version (the count of changes in this epoch),
/// the version at which each key last changed, and a bounded log of recent deltas so an agent that
/// missed a few catches up without a snapshot.
/// </summary>
public sealed record FeedState(Guid Epoch, int LogCapacity)
{
    public const string HostsSource = "hosts";

    public long Version { get; init; }
    public ImmutableDictionary<FeedKey, FeedView> Views { get; init; } = ImmutableDictionary<FeedKey, FeedView>.Empty;
    public ImmutableDictionary<FeedKey, long> ChangedAt { get; init; } = ImmutableDictionary<FeedKey, long>.Empty;
    public ImmutableDictionary<string, SourceTrack> Sources { get; init; } = ImmutableDictionary<string, SourceTrack>.Empty;
    public ImmutableQueue<FeedDelta> Log { get; init; } = ImmutableQueue<FeedDelta>.Empty;
    public int LogCount { get; init; }

    /// <summary>The result of taking in a message: the new state, the delta to send (if any), and whether the source must send a dump.</summary>
    public sealed record Outcome(FeedState State, FeedDelta? Delta, bool NeedDump);

    public Outcome OnChanged(SourceChanged changed)
    {
        if (Sources.TryGetValue(changed.Source, out var track) && track.Incarnation == changed.Incarnation)
        {
            if (changed.Seq <= track.Seq) return new(this, null, false); // a duplicate
            if (changed.Seq == track.Seq + 1)
            {
                var keys = changed.Changes.Aggregate(track.Keys, (k, c) => c.View is null ? k.Remove(c.Key) : k.Add(c.Key));
                var next = this with { Sources = Sources.SetItem(changed.Source, track with { Seq = changed.Seq, Keys = keys }) };
                return next.Commit(changed.Changes);
            }
        }
        // A gap, a restarted source, or one never seen: only its whole state can be trusted now.
        return new(this, null, true);
    }

    public Outcome OnDump(SourceDump dump)
    {
        var track = Sources.GetValueOrDefault(dump.Source);
        if (track is not null && track.Incarnation == dump.Incarnation && dump.Seq < track.Seq) return new(this, null, false); // stale
        // A source that never gave agents anything (a tenant entity started for a name someone asked about) is
        // not remembered: its first change asks for a dump anyway.
        if (track is null && dump.Views.IsEmpty) return new(this, null, false);
        var oldKeys = track?.Keys ?? [];
        var newViews = dump.Views.ToDictionary(v => v.Key);
        var changes = ImmutableArray.CreateBuilder<FeedChange>();
        foreach (var key in oldKeys.Where(k => !newViews.ContainsKey(k))) changes.Add(FeedChange.Remove(key));
        foreach (var view in newViews.Values.Where(v => !Views.TryGetValue(v.Key, out var current) || current != v))
            changes.Add(FeedChange.Upsert(view));
        var next = this with { Sources = Sources.SetItem(dump.Source, new SourceTrack(dump.Incarnation, dump.Seq, [.. newViews.Keys])) };
        return changes.Count == 0 ? new(next, null, false) : next.Commit(changes.ToImmutable());
    }

    /// <summary>Hosts are the feed's own source: they come from the agents' subscriptions.</summary>
    public Outcome OnHost(HostView host) =>
        Views.TryGetValue(host.Key, out var current) && current == host ? new(this, null, false) : Commit([FeedChange.Upsert(host)]);

    /// <summary>
    /// What a (re)subscribing agent needs, in order: the deltas after its version when the log still
    /// has them (an empty delta at the current version when it is up to date), else a snapshot.
    /// </summary>
    public IReadOnlyList<object> CatchUp(Guid epoch, long version, int snapshotPartSize = 1000)
    {
        if (epoch == Epoch && version == Version) return [new FeedDelta(Epoch, Version, [])];
        if (epoch == Epoch && version < Version && LogCount > 0 && Log.Peek().Version <= version + 1)
            return [.. Log.Where(d => d.Version > version)];
        return Snapshot(snapshotPartSize);
    }

    public IReadOnlyList<FeedSnapshot> Snapshot(int partSize = 1000)
    {
        var views = Views.Values.OrderBy(v => v.Key.Kind).ThenBy(v => v.Key.Name, StringComparer.Ordinal).ToList();
        var parts = Math.Max(1, (views.Count + partSize - 1) / partSize);
        return [.. Enumerable.Range(0, parts).Select(p => new FeedSnapshot(Epoch, Version, [.. views.Skip(p * partSize).Take(partSize)], p, parts))];
    }

    private Outcome Commit(ImmutableArray<FeedChange> changes)
    {
        var version = Version + 1;
        var views = Views;
        var changedAt = ChangedAt;
        foreach (var change in changes)
        {
            views = change.View is null ? views.Remove(change.Key) : views.SetItem(change.Key, change.View);
            changedAt = changedAt.SetItem(change.Key, version);
            // A rule's change is its policy's: realization is asked of the policy.
            if (change.Key.Kind == FeedKind.Rule && change.Key.Name.Split(':', 3) is [var tenant, var policy, _])
                changedAt = changedAt.SetItem(new FeedKey(FeedKind.Policy, $"{tenant}:{policy}"), version);
        }
        var delta = new FeedDelta(Epoch, version, changes);
        var log = Log.Enqueue(delta);
        var count = LogCount + 1;
        if (count > LogCapacity)
        {
            log = log.Dequeue();
            count--;
        }
        return new(this with { Version = version, Views = views, ChangedAt = changedAt, Log = log, LogCount = count }, delta, false);
    }
}
