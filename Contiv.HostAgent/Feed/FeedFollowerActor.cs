using Akka.Actor;
using Akka.Event;
using Contiv.Messages.Feed;

namespace Contiv.HostAgent.Feed;

/// <summary>The replica changed by <paramref name="Changes"/>, or (default) was taken whole from a snapshot.</summary>
public sealed record ReplicaChanged(FeedReplica Replica, System.Collections.Immutable.ImmutableArray<FeedChange> Changes = default)
{
    public bool IsWhole => Changes.IsDefault;
}

/// <summary>
/// Follows the masters' state feed: subscribes with what it holds, applies what arrives through
/// <see cref="FeedReplica"/>, and subscribes again on a gap, a new epoch (a feed restarted or moved
/// to another master), news of a version it does not have, or silence. At most one subscription is
/// outstanding at a time, so a burst of out-of-order deltas costs one catch-up, not one per delta.
/// </summary>
public sealed class FeedFollowerActor : ReceiveActor, IWithTimers
{
    private readonly IActorRef _feed;
    private readonly HostView _host;
    private readonly IActorRef _listener;
    private readonly TimeSpan _resubscribeAfter;
    private readonly TimeSpan _silenceTimeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private FeedReplica _replica = FeedReplica.Empty;
    private DateTime _subscribedAt = DateTime.MinValue;
    private DateTime _heardAt = DateTime.UtcNow;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef feed, HostView host, IActorRef listener, TimeSpan resubscribeAfter, TimeSpan silenceTimeout) =>
        Akka.Actor.Props.Create(() => new FeedFollowerActor(feed, host, listener, resubscribeAfter, silenceTimeout));

    public FeedFollowerActor(IActorRef feed, HostView host, IActorRef listener, TimeSpan resubscribeAfter, TimeSpan silenceTimeout)
    {
        _feed = feed;
        _host = host;
        _listener = listener;
        _resubscribeAfter = resubscribeAfter;
        _silenceTimeout = silenceTimeout;

        Receive<FeedSnapshot>(Take);
        Receive<FeedDelta>(Take);
        Receive<FeedVersion>(Take);
        Receive<Check>(_ =>
        {
            var now = DateTime.UtcNow;
            var waiting = _subscribedAt != DateTime.MinValue && now - _subscribedAt > _resubscribeAfter;
            var silent = now - _heardAt > _silenceTimeout;
            if (waiting || silent || !_replica.Synced && _subscribedAt == DateTime.MinValue)
            {
                if (silent) _log.Info("feed: nothing heard for {0}; subscribing again", now - _heardAt);
                Subscribe(force: true);
            }
        });
    }

    protected override void PreStart()
    {
        Subscribe(force: true);
        Timers.StartPeriodicTimer(Check.Instance, Check.Instance, TimeSpan.FromTicks(Math.Min(_resubscribeAfter.Ticks, _silenceTimeout.Ticks) / 2));
    }

    private void Take(object message)
    {
        _heardAt = DateTime.UtcNow;
        var (replica, verdict) = _replica.On(message);
        var before = _replica;
        _replica = replica;
        if ((message is FeedSnapshot && verdict == FeedVerdict.Applied) || (message is FeedDelta d && d.Epoch == _replica.Epoch && d.Version >= _replica.Version))
            _subscribedAt = DateTime.MinValue; // answered
        if (verdict == FeedVerdict.Applied)
        {
            if (before.Epoch != replica.Epoch) _log.Info("feed: snapshot of epoch {0} at version {1} ({2} views)", replica.Epoch, replica.Version, replica.Views.Count);
            _listener.Tell(message is FeedDelta delta && before.Epoch == replica.Epoch ? new ReplicaChanged(replica, delta.Changes) : new ReplicaChanged(replica));
        }
        else if (verdict == FeedVerdict.Resubscribe)
        {
            Subscribe(force: false);
        }
    }

    private void Subscribe(bool force)
    {
        if (!force && _subscribedAt != DateTime.MinValue) return; // one outstanding subscription at a time
        _subscribedAt = DateTime.UtcNow;
        _heardAt = DateTime.UtcNow;
        _feed.Tell(new SubscribeFeed(_host, _replica.Epoch, _replica.Version));
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }
}
