using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Contiv.Messages.Feed;
using Akka.Configuration;
using Contiv.Messages.Cluster;

namespace Contiv.Master.Watch;

/// <summary>Watch tunables from <c>contiv.master.watch</c>.</summary>
public sealed record WatchSettings(int LogCapacity, int StreamBuffer, TimeSpan Heartbeat)
{
    public static WatchSettings From(Config config) => new(
        config.GetRequiredInt("contiv.master.watch.log-capacity"),
        config.GetRequiredInt("contiv.master.watch.stream-buffer"),
        config.GetRequiredTimeSpan("contiv.master.watch.heartbeat"));
}

/// <summary>Changes the read model applied, for the watchers (sent by the read model of the same master).</summary>
public sealed record WatchChanges(IReadOnlyList<WatchEvent> Events);

/// <summary>A new stream: its events go to <paramref name="Writer"/>, starting with a hello, then what it missed since
/// <paramref name="LastEventId"/> (or a resync), then every change as it comes.</summary>
public sealed record WatchSubscribe(ChannelWriter<WatchEvent> Writer, string? LastEventId);

public sealed record WatchUnsubscribe(ChannelWriter<WatchEvent> Writer);

/// <summary>The stream fell too far behind (its buffer is full): it ends, and its watcher resumes from its last event.</summary>
public sealed class WatchStreamOverflow() : Exception("the watch stream fell behind; resume from the last event id");

/// <summary>
/// One per master: numbers the changes its read model applied (and the cluster's membership changes) in a
/// <see cref="WatchLog"/>, and writes each to every open watch stream. A stream that cannot keep up is ended rather
/// than let it hold the master's memory: its watcher resumes from the log, or resyncs.
/// </summary>
public sealed class WatchHubActor : ReceiveActor
{
    private readonly HashSet<ChannelWriter<WatchEvent>> _streams = [];
    private WatchLog _log;

    private readonly IActorRef _mediator;

    public static Props Props(WatchSettings settings, IActorRef mediator) => Akka.Actor.Props.Create(() => new WatchHubActor(settings, mediator));

    public WatchHubActor(WatchSettings settings, IActorRef mediator)
    {
        _mediator = mediator;
        _log = WatchLog.Start(Guid.NewGuid(), settings.LogCapacity);
        Receive<WatchChanges>(changes => Publish(changes.Events));
        Receive<ClusterEvent.IMemberEvent>(_ => Publish([new WatchEvent(WatchEventType.Nodes)]));
        Receive<ClusterEvent.IReachabilityEvent>(_ => Publish([new WatchEvent(WatchEventType.Nodes)]));
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<RealizationChanged>(changed => Publish([new WatchEvent(WatchEventType.Realized, Key: changed.Host)]));
        Receive<SubscribeAck>(_ => { });
        Receive<WatchSubscribe>(Subscribe);
        Receive<WatchUnsubscribe>(gone => _streams.Remove(gone.Writer));
    }

    protected override void PreStart()
    {
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        _mediator.Tell(new Subscribe(RealizationChanged.Topic, Self));
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        foreach (var stream in _streams) stream.TryComplete();
    }

    private void Subscribe(WatchSubscribe subscribe)
    {
        var resume = _log.Resume(subscribe.LastEventId);
        var hello = _log.AtLast(new WatchEvent(WatchEventType.Hello));
        IEnumerable<WatchEvent> first = resume.Complete
            ? [hello, .. resume.Events]
            : [hello, _log.AtLast(new WatchEvent(WatchEventType.Resync, Reason: "this master does not hold every change since your last event"))];
        if (first.All(subscribe.Writer.TryWrite)) _streams.Add(subscribe.Writer);
        else subscribe.Writer.TryComplete(new WatchStreamOverflow());
    }

    private void Publish(IReadOnlyList<WatchEvent> events)
    {
        if (events.Count == 0) return;
        _log = _log.Append(events, out var numbered);
        List<ChannelWriter<WatchEvent>>? behind = null;
        foreach (var stream in _streams)
            if (!numbered.All(stream.TryWrite)) (behind ??= []).Add(stream);
        foreach (var stream in behind ?? [])
        {
            stream.TryComplete(new WatchStreamOverflow());
            _streams.Remove(stream);
        }
    }
}
