using System.Collections.Immutable;
using Contiv.Messages.Feed;

namespace Contiv.HostAgent.Feed;

public enum FeedVerdict
{
    /// <summary>The message changed the replica.</summary>
    Applied,
    /// <summary>Nothing to do: a duplicate, an old delta, or news we already have.</summary>
    Ignored,
    /// <summary>A gap, another epoch or news of a newer version: ask the feed again from what we hold.</summary>
    Resubscribe,
}

/// <summary>
/// The agent's copy of the feed, pure. It is always consistent at (<see cref="Epoch"/>, <see cref="Version"/>):
/// a delta applies only on top of the version before it; anything else leaves the copy as it is and asks
/// for a re-subscription, which the feed answers with the missing deltas or a snapshot.
/// </summary>
public sealed record FeedReplica(Guid Epoch, long Version, ImmutableDictionary<FeedKey, FeedView> Views)
{
    /// <summary>Parts of a snapshot received so far (all of one epoch and version).</summary>
    public ImmutableSortedDictionary<int, FeedSnapshot> SnapshotParts { get; init; } = ImmutableSortedDictionary<int, FeedSnapshot>.Empty;

    public static readonly FeedReplica Empty = new(Guid.Empty, 0, ImmutableDictionary<FeedKey, FeedView>.Empty);

    /// <summary>True once a snapshot was taken: before that the replica knows nothing.</summary>
    public bool Synced => Epoch != Guid.Empty;

    public (FeedReplica Replica, FeedVerdict Verdict) On(object message) => message switch
    {
        FeedSnapshot snapshot when snapshot.Epoch == Epoch && snapshot.Version < Version => (this, FeedVerdict.Ignored),
        FeedSnapshot snapshot => TakePart(snapshot),
        FeedDelta delta when delta.Epoch != Epoch => (this, FeedVerdict.Resubscribe),
        FeedDelta delta when delta.Version <= Version => (this, FeedVerdict.Ignored),
        FeedDelta delta when delta.Version == Version + 1 => (Apply(delta), FeedVerdict.Applied),
        FeedDelta => (this, FeedVerdict.Resubscribe),
        FeedVersion version when version.Epoch != Epoch || version.Version > Version => (this, FeedVerdict.Resubscribe),
        _ => (this, FeedVerdict.Ignored),
    };

    private (FeedReplica, FeedVerdict) TakePart(FeedSnapshot part)
    {
        if (part.Parts <= 1) return (new FeedReplica(part.Epoch, part.Version, part.Views.ToImmutableDictionary(v => v.Key)), FeedVerdict.Applied);
        // A part of another snapshot than the one being gathered starts over.
        var parts = SnapshotParts.IsEmpty || SnapshotParts.First().Value is var first && first.Epoch == part.Epoch && first.Version == part.Version && first.Parts == part.Parts
            ? SnapshotParts.SetItem(part.Part, part)
            : ImmutableSortedDictionary<int, FeedSnapshot>.Empty.Add(part.Part, part);
        if (parts.Count < part.Parts) return (this with { SnapshotParts = parts }, FeedVerdict.Ignored);
        var views = parts.Values.SelectMany(p => p.Views).ToImmutableDictionary(v => v.Key);
        return (new FeedReplica(part.Epoch, part.Version, views), FeedVerdict.Applied);
    }

    private FeedReplica Apply(FeedDelta delta)
    {
        var views = Views.ToBuilder();
        foreach (var change in delta.Changes)
        {
            if (change.View is null) views.Remove(change.Key);
            else views[change.Key] = change.View;
        }
        return this with { Version = delta.Version, Views = views.ToImmutable() };
    }

    public IEnumerable<T> All<T>() where T : FeedView => Views.Values.OfType<T>();
}
