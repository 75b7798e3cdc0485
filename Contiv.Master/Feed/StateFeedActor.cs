using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Event;
using Contiv.Master.Sharding;
using Contiv.Messages.Cluster;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Feed;

/// <summary>Feed tunables from <c>contiv.master.feed</c>.</summary>
public sealed record FeedSettings(int LogCapacity, TimeSpan VersionInterval, TimeSpan LoadRetry, int SnapshotPartSize)
{
    public static FeedSettings From(Config config) => new(
        config.GetRequiredInt("contiv.master.feed.log-capacity"),
        config.GetRequiredTimeSpan("contiv.master.feed.version-interval"),
        config.GetRequiredTimeSpan("contiv.master.feed.load-retry"),
        config.GetRequiredInt("contiv.master.feed.snapshot-part-size"));
}

/// <summary>
/// The state feed to agents, a cluster singleton on the masters. Sources (the tenants, global) send
/// numbered changes; the feed numbers the resulting deltas in its own epoch and sends them to every
/// subscribed agent, which takes a snapshot first and re-subscribes on any gap. On start (a new epoch,
/// also after a hand-over to another master) it asks every source for its whole state.
/// </summary>
public sealed class StateFeedActor : ReceiveActor, IWithTimers
{
    private readonly IActorRef _global;
    private readonly IActorRef _tenants;
    private readonly IActorRef _mediator;
    private readonly FeedSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _realized = new(StringComparer.Ordinal);
    private FeedState _state;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef global, IActorRef tenants, IActorRef mediator, FeedSettings settings) =>
        Akka.Actor.Props.Create(() => new StateFeedActor(global, tenants, mediator, settings));

    public StateFeedActor(IActorRef global, IActorRef tenants, IActorRef mediator, FeedSettings settings)
    {
        _global = global;
        _tenants = tenants;
        _mediator = mediator;
        _settings = settings;
        _state = new FeedState(Guid.NewGuid(), settings.LogCapacity);

        Receive<LoadSources>(_ => LoadAll());
        Receive<TenantNames>(names =>
        {
            foreach (var name in names.Names) _tenants.Tell(new ShardEnvelope(name, new DumpSource("tenant/" + name)));
        });
        Receive<Status.Failure>(failure =>
        {
            _log.Warning("feed: could not list the tenants ({0}); retrying", failure.Cause.Message);
            Timers.StartSingleTimer(LoadSources.Instance, LoadSources.Instance, _settings.LoadRetry);
        });
        Receive<SourceChanged>(changed =>
        {
            var outcome = Take(_state.OnChanged(changed));
            if (outcome.NeedDump) Sender.Tell(new DumpSource(changed.Source));
        });
        Receive<SourceDump>(dump => Take(_state.OnDump(dump)));
        Receive<SubscribeFeed>(Subscribe);
        Receive<HostRealized>(realized =>
        {
            if (realized.Epoch != _state.Epoch || _realized.GetValueOrDefault(realized.Host) == realized.Version) return;
            _realized[realized.Host] = realized.Version;
            _mediator.Tell(new Publish(RealizationChanged.Topic, new RealizationChanged(realized.Host, realized.Version)));
        });
        Receive<GetRealization>(get => Sender.Tell(Realization(get)));
        Receive<GetFeedHosts>(_ => Sender.Tell(new FeedHosts([.. _state.Views.Values.OfType<HostView>().OrderBy(h => h.Name, StringComparer.Ordinal)],
            _realized.ToImmutableSortedDictionary(StringComparer.Ordinal))));
        Receive<Terminated>(terminated =>
        {
            foreach (var host in _subscribers.Where(s => s.Value.Equals(terminated.ActorRef)).Select(s => s.Key).ToList())
                _subscribers.Remove(host);
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            // The host stays in the feed: its switch keeps forwarding for its containers while its
            // agent is away (and a restarted agent may come back on the same address at once), so
            // other hosts keep their tunnels to it. Only its realization is no longer known.
            var address = removed.Member.Address.ToString();
            foreach (var host in _state.Views.Values.OfType<HostView>().Where(h => h.NodeAddress == address))
            {
                _log.Info("feed: the agent of host {0} left the cluster; its host stays reachable", host.Name);
                if (_realized.Remove(host.Name)) _mediator.Tell(new Publish(RealizationChanged.Topic, new RealizationChanged(host.Name, 0)));
            }
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<Tick>(_ =>
        {
            var version = new FeedVersion(_state.Epoch, _state.Version);
            foreach (var subscriber in _subscribers.Values) subscriber.Tell(version);
        });
    }

    protected override void PreStart()
    {
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberRemoved));
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _settings.VersionInterval);
        _log.Info("feed: epoch {0} starting; loading every source", _state.Epoch);
        Self.Tell(LoadSources.Instance);
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void LoadAll()
    {
        _global.Tell(new ShardEnvelope(EntityIds.Global, new DumpSource(GlobalFeedSource)));
        _global.Ask<TenantNames>(new ShardEnvelope(EntityIds.Global, new ListTenantNames()), _settings.LoadRetry * 5).PipeTo(Self);
    }

    public const string GlobalFeedSource = "global";

    private void Subscribe(SubscribeFeed subscribe)
    {
        Take(_state.OnHost(subscribe.Host));
        if (!_subscribers.TryGetValue(subscribe.Host.Name, out var known) || !known.Equals(Sender))
        {
            _subscribers[subscribe.Host.Name] = Sender;
            Context.Watch(Sender);
            _log.Info("feed: host {0} subscribed at {1}/{2}", subscribe.Host.Name, subscribe.Epoch, subscribe.Version);
        }
        foreach (var message in _state.CatchUp(subscribe.Epoch, subscribe.Version, _settings.SnapshotPartSize)) Sender.Tell(message);
    }

    private FeedState.Outcome Take(FeedState.Outcome outcome)
    {
        _state = outcome.State;
        if (outcome.Delta is { } delta)
        {
            foreach (var subscriber in _subscribers.Values) subscriber.Tell(delta);
        }
        return outcome;
    }

    private Realization Realization(GetRealization get)
    {
        var keys = get.Related.IsDefault ? [get.Key] : get.Related.Add(get.Key);
        var changedAt = keys.Max(k => _state.ChangedAt.GetValueOrDefault(k));
        var hosts = _state.Views.Values.OfType<HostView>().ToImmutableSortedDictionary(
            h => h.Name,
            h => _realized.TryGetValue(h.Name, out var version) && version >= changedAt ? "realized" : "pending",
            StringComparer.Ordinal);
        return new Realization(get.Key, hosts);
    }

    private sealed class LoadSources
    {
        public static readonly LoadSources Instance = new();
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
