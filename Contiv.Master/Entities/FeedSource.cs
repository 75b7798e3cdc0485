using System.Collections.Immutable;
using Akka.Actor;
using Contiv.Messages.Feed;

namespace Contiv.Master.Entities;

/// <summary>
/// An entity's side of the state feed, composed into the entities agents learn from: its changes, numbered per
/// start of the entity, so the feed can tell a gap (ask for a dump) from a restart (a new incarnation).
/// </summary>
public sealed class FeedSource(string source, IActorRef feed)
{
    private readonly Guid _incarnation = Guid.NewGuid();
    private long _seq;

    public void Publish(IReadOnlyCollection<FeedChange> changes)
    {
        if (changes.Count == 0) return;
        feed.Tell(new SourceChanged(source, _incarnation, ++_seq, [.. changes]));
    }

    /// <summary>Everything the entity holds for agents, as of its latest published change.</summary>
    public void Dump(ImmutableArray<FeedView> views) => feed.Tell(new SourceDump(source, _incarnation, _seq, views));
}
