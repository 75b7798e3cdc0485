using System.Collections.Immutable;
using Contiv.Messages.Serialization;

namespace Contiv.Messages.Feed;

// ---- sources (tenants, global) → the feed -------------------------------------------------------
// A source numbers its changes 1, 2, 3... within one incarnation (one start of the entity). The feed
// applies the next number only; on a gap or a new incarnation it asks for a dump and replaces the
// source's views with it, so a lost or reordered message costs a dump, never a wrong state.

public sealed record SourceChanged(string Source, Guid Incarnation, long Seq, ImmutableArray<FeedChange> Changes) : IContivWire;

public sealed record SourceDump(string Source, Guid Incarnation, long Seq, ImmutableArray<FeedView> Views) : IContivWire;

/// <summary>The feed asks a source for its whole state (answered with <see cref="SourceDump"/> to the feed).</summary>
public sealed record DumpSource(string Source) : IContivWire;

// ---- the feed ↔ agents --------------------------------------------------------------------------
// The feed numbers its own changes 1, 2, 3... within an epoch (one start of the feed). An agent takes
// a snapshot, then deltas in order; a gap, another epoch or silence makes it subscribe again.

/// <summary>An agent subscribing (again); <paramref name="Epoch"/>/<paramref name="Version"/> say what it holds.</summary>
public sealed record SubscribeFeed(HostView Host, Guid Epoch, long Version) : IContivWire;

/// <summary>One part of a snapshot: a large state goes in several messages (remoting frames are bounded);
/// the agent takes it once all <paramref name="Parts"/> of the same epoch and version are in.</summary>
public sealed record FeedSnapshot(Guid Epoch, long Version, ImmutableArray<FeedView> Views, int Part = 0, int Parts = 1) : IContivWire;

public sealed record FeedDelta(Guid Epoch, long Version, ImmutableArray<FeedChange> Changes) : IContivWire;

/// <summary>Sent to every subscriber now and then: the newest version, so a lost last delta is noticed.</summary>
public sealed record FeedVersion(Guid Epoch, long Version) : IContivWire;

/// <summary>An agent's dataplane holds everything up to this version.</summary>
public sealed record HostRealized(string Host, Guid Epoch, long Version) : IContivWire;

/// <summary>Published by the feed on <see cref="Topic"/> when a host's realized version moves (or is no longer known,
/// <paramref name="Version"/> 0): every master's consoles read the policies' realization again.</summary>
public sealed record RealizationChanged(string Host, long Version) : IContivWire
{
    public const string Topic = "contiv.realization";
}

/// <summary>Asks the feed which hosts have realized the newest change of an object and of the objects it acts
/// through (a policy's groups). Answered with <see cref="Realization"/>.</summary>
public sealed record GetRealization(FeedKey Key, ImmutableArray<FeedKey> Related = default) : IContivWire;

/// <param name="Hosts">host name → "realized" or "pending"</param>
public sealed record Realization(FeedKey Key, ImmutableSortedDictionary<string, string> Hosts) : IContivWire;

/// <summary>Asks the feed for the hosts with agents. Answered with <see cref="FeedHosts"/>.</summary>
public sealed record GetFeedHosts : IContivWire;

/// <param name="Realized">host name → the feed version its dataplane holds</param>
public sealed record FeedHosts(ImmutableArray<HostView> Hosts, ImmutableSortedDictionary<string, long> Realized) : IContivWire;
