using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Event;
using Contiv.Master.Sharding;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Reads;

/// <summary>Read-model tunables from <c>contiv.master.read-model</c>.</summary>
public sealed record ReadModelSettings(TimeSpan AwaitTimeout, TimeSpan SyncRetry)
{
    public static ReadModelSettings From(Config config) => new(
        config.GetTimeSpan("contiv.master.read-model.await-timeout"),
        config.GetTimeSpan("contiv.master.read-model.sync-retry"));
}

/// <summary>Asks the read model to answer once it shows <paramref name="Version"/> (or after the await timeout): <see cref="VersionShown"/>.</summary>
public sealed record AwaitVersion(ReadVersion Version);

public sealed record VersionShown(bool Reached);

/// <summary>The read model cannot answer yet (it has not heard from every tenant): ask the entities.</summary>
public sealed record ReadModelNotReady : ApiReply;

/// <summary>
/// The shell of a master's <see cref="ReadModelState"/>: subscribes to the tenants' changes, asks global which
/// tenants exist and each of them for a dump until it has them all, asks a source for a dump when it missed
/// changes, and answers lists, GETs and version waits.
/// </summary>
public sealed class ReadModelActor : ReceiveActor, IWithTimers
{
    private readonly IActorRef _global;
    private readonly IActorRef _tenants;
    private readonly ReadModelSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReadModelState _state = ReadModelState.Empty;
    private readonly List<(AwaitVersion Wait, IActorRef ReplyTo, DateTime Deadline)> _waiting = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef global, IActorRef tenants, ReadModelSettings settings) =>
        Akka.Actor.Props.Create(() => new ReadModelActor(global, tenants, settings));

    public ReadModelActor(IActorRef global, IActorRef tenants, ReadModelSettings settings)
    {
        _global = global;
        _tenants = tenants;
        _settings = settings;

        Receive<SubscribeAck>(_ => AskTenants());
        Receive<TenantNames>(names =>
        {
            _state = _state.Expecting(names.Names);
            foreach (var tenant in _state.Unsynced!) AskDump(tenant);
            AnswerWaiting();
        });
        Receive<ObjectsChanged>(change =>
        {
            _state = _state.Apply(change, out var askDump);
            if (askDump) AskDump(change.Source);
            AnswerWaiting();
        });
        Receive<ObjectsDump>(dump =>
        {
            _state = _state.Apply(dump);
            AnswerWaiting();
        });
        Receive<DumpNotAnswered>(lost => _state = _state.DumpLost(lost.Source));
        Receive<SyncTick>(_ =>
        {
            if (_state.Unsynced is null) AskTenants();
            else foreach (var tenant in _state.Unsynced.Except(_state.DumpsAsked)) AskDump(tenant);
            if (_state.Synced) Timers.Cancel(SyncTick.Instance);
        });
        Receive<ListObjects>(list => Sender.Tell(_state.Synced ? new ApiItems(_state.List(list.Kind)) : new ReadModelNotReady()));
        Receive<GetObject>(get =>
        {
            if (!_state.Synced)
            {
                Sender.Tell(new ReadModelNotReady());
                return;
            }
            var (tenant, name) = Split(get.Kind, get.Key);
            Sender.Tell(_state.Get(get.Kind, tenant, name) is { } json
                ? new ApiOk(json)
                : ApiError.NotFound($"{get.Kind.TypeName()} {get.Key} not found"));
        });
        Receive<AwaitVersion>(wait =>
        {
            if (_state.Reached(wait.Version))
            {
                Sender.Tell(new VersionShown(true));
                return;
            }
            _waiting.Add((wait, Sender, DateTime.UtcNow + _settings.AwaitTimeout));
            // A source this model holds no changes of (or of another start of it) will not catch up by itself.
            var source = wait.Version.Source;
            var known = _state.Sources.TryGetValue(source, out var objects) && objects.Incarnation == wait.Version.Incarnation;
            if (!known && !_state.DumpsAsked.Contains(source))
            {
                _state = _state with { DumpsAsked = _state.DumpsAsked.Add(source) };
                AskDump(source);
            }
        });
        Receive<WaitTick>(_ => AnswerWaiting());
    }

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(ReadModelTopic.Name, Self));
        Timers.StartPeriodicTimer(SyncTick.Instance, SyncTick.Instance, _settings.SyncRetry);
        Timers.StartPeriodicTimer(WaitTick.Instance, WaitTick.Instance, _settings.AwaitTimeout / 4);
    }

    private void AskTenants() =>
        _global.Ask<TenantNames>(new ShardEnvelope(EntityIds.Global, new ListTenantNames()), _settings.SyncRetry)
            .PipeTo(Self, failure: ex => new Status.Failure(ex));

    private void AskDump(string tenant)
    {
        var self = Self;
        _tenants.Ask<ObjectsDump>(new ShardEnvelope(tenant, new DumpObjects()), _settings.SyncRetry)
            .PipeTo(self, success: dump => dump, failure: _ => new DumpNotAnswered(tenant));
    }

    /// <summary>Answers the waits the model has reached, and those whose time is up (the write is durable; only this master's view of it lags).</summary>
    private void AnswerWaiting()
    {
        var now = DateTime.UtcNow;
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            var (wait, replyTo, deadline) = _waiting[i];
            var reached = _state.Reached(wait.Version);
            if (!reached && now < deadline) continue;
            if (!reached) _log.Warning("read model: {0} not shown within {1}; answering the write anyway", wait.Version, _settings.AwaitTimeout);
            replyTo.Tell(new VersionShown(reached));
            _waiting.RemoveAt(i);
        }
    }

    private static (string Tenant, string Name) Split(ObjectKind kind, string key)
    {
        var colon = key.IndexOf(':');
        return kind == ObjectKind.Tenant || colon < 0 ? (key, key) : (key[..colon], key[(colon + 1)..]);
    }

    private sealed record DumpNotAnswered(string Source);

    private sealed class SyncTick
    {
        public static readonly SyncTick Instance = new();
    }

    private sealed class WaitTick
    {
        public static readonly WaitTick Instance = new();
    }
}
