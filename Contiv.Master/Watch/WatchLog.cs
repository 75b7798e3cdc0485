using System.Collections.Immutable;
using Contiv.Messages.Model;

namespace Contiv.Master.Watch;

/// <summary>What a watcher is told.</summary>
public enum WatchEventType
{
    /// <summary>The first event of every stream: where it starts, so a reconnect can resume from there.</summary>
    Hello,
    /// <summary>An object was created or changed: its view as GET answers it.</summary>
    Put,
    /// <summary>An object is gone.</summary>
    Delete,
    /// <summary>Something in a tenant changed (its endpoints included): its inspect is worth reading again.</summary>
    Tenant,
    /// <summary>A master or an agent joined, left, or changed reachability.</summary>
    Nodes,
    /// <summary>A host's dataplane caught up with the feed (its key is the host): the policies' realization moved.</summary>
    Realized,
    /// <summary>The watcher cannot be told exactly what changed (it missed too much, or a tenant was reloaded whole): read everything again.</summary>
    Resync,
}

/// <summary>
/// One change as a console sees it. <paramref name="Json"/> is the object's view, rendered when first sent (local to a
/// master: never serialized). <paramref name="Tenant"/> null: a cluster-wide change anyone who may read may see.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, ObjectKind? Kind = null, string? Key = null, string? Tenant = null,
    Lazy<string>? Json = null, string? Reason = null)
{
    /// <summary>This master's number for it; 0 until <see cref="WatchLog.Append"/> numbers it.</summary>
    public long Seq { get; init; }

    /// <summary>Its id as a stream sends it (<c>epoch:seq</c>), for a watcher to resume after it.</summary>
    public string Id { get; init; } = "";
}

/// <summary>Where a stream resumes: the events after the watcher's last one, or a <see cref="WatchEventType.Resync"/> when they are not all kept.</summary>
public sealed record WatchResume(bool Complete, ImmutableArray<WatchEvent> Events);

/// <summary>
/// A master's numbered log of recent changes, so a console that lost its connection resumes without missing one. Pure.
/// An event id is <c>epoch:seq</c>: a master that restarted (or another master) has another epoch, and a watcher from
/// it gets a resync.
/// </summary>
public sealed record WatchLog(Guid Epoch, int Capacity, long LastSeq, ImmutableQueue<WatchEvent> Kept, int KeptCount)
{
    public static WatchLog Start(Guid epoch, int capacity) => new(epoch, capacity, 0, ImmutableQueue<WatchEvent>.Empty, 0);

    public string IdOf(long seq) => $"{Epoch:N}:{seq}";

    public string LastId => IdOf(LastSeq);

    /// <summary>An event that is not kept (a hello, a resync), carrying the id of the last that is.</summary>
    public WatchEvent AtLast(WatchEvent e) => e with { Seq = LastSeq, Id = LastId };

    /// <summary>The log with <paramref name="events"/> numbered after the last, the oldest dropped past <see cref="Capacity"/>.</summary>
    public WatchLog Append(IEnumerable<WatchEvent> events, out ImmutableArray<WatchEvent> numbered)
    {
        var seq = LastSeq;
        numbered = [.. events.Select(e => e with { Seq = ++seq, Id = IdOf(seq) })];
        var kept = Kept;
        var count = KeptCount;
        foreach (var e in numbered)
        {
            kept = kept.Enqueue(e);
            if (++count > Capacity)
            {
                kept = kept.Dequeue();
                count--;
            }
        }
        return this with { LastSeq = seq, Kept = kept, KeptCount = count };
    }

    /// <summary>What a watcher whose last event was <paramref name="lastEventId"/> missed; null id: a new watcher, nothing missed.</summary>
    public WatchResume Resume(string? lastEventId)
    {
        if (string.IsNullOrEmpty(lastEventId)) return new WatchResume(true, []);
        var parts = lastEventId.Split(':');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var epoch) || epoch != Epoch || !long.TryParse(parts[1], out var seq)
            || seq > LastSeq)
            return new WatchResume(false, []);
        var oldestKept = LastSeq - KeptCount + 1;
        if (seq < oldestKept - 1) return new WatchResume(false, []);
        return new WatchResume(true, [.. Kept.Where(e => e.Seq > seq)]);
    }
}
