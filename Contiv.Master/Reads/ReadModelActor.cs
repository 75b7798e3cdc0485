using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.Event;
using Contiv.Master.Sharding;
using Contiv.Master.Views;
using Contiv.Master.Watch;
using Contiv.Messages.Cluster;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Reads;

/// <summary>Read-model tunables from <c>contiv.master.read-model</c>, and how long an inspect waits for a pool or the feed.</summary>
public sealed record ReadModelSettings(TimeSpan AwaitTimeout, TimeSpan SyncRetry, TimeSpan SyncPatience, TimeSpan Resettle, TimeSpan AskTimeout)
{
    public static ReadModelSettings From(Config config, TimeSpan askTimeout) => new(
        config.GetRequiredTimeSpan("contiv.master.read-model.await-timeout"),
        config.GetRequiredTimeSpan("contiv.master.read-model.sync-retry"),
        config.GetRequiredTimeSpan("contiv.master.read-model.sync-patience"),
        config.GetRequiredTimeSpan("contiv.master.read-model.resettle-after"),
        askTimeout);
}

/// <summary>A list as the read model holds it: its JSON array, UTF-8, encoded once per change (local to a master, never sent).</summary>
public sealed record ListBody(byte[] Utf8Json) : ApiReply;

/// <summary>A tenant's answer to a write (<see cref="ObjectSaved"/> or <see cref="ObjectDeleted"/>), to be answered
/// to the client once this read model shows it (or after the await timeout: the write is durable either way).</summary>
public sealed record AnswerWrite(ApiReply Written);

/// <summary>Whether this master's read model holds <paramref name="Tenant"/> as existing, answered with
/// <see cref="TenantPresence"/> at once, loaded or not: the gateway sends no write to a tenant that is not there.</summary>
public sealed record AskTenantPresence(string Tenant);

/// <param name="Synced">the model has loaded every tenant, so a tenant it lacks is one it has not been told of</param>
public sealed record TenantPresence(bool Exists, bool Synced);

/// <summary>Which tenant an endpoint is registered in, answered with <see cref="EndpointOwner"/> at once.</summary>
public sealed record AskEndpointOwner(string EndpointId);

/// <param name="Tenant">null: no tenant this model holds has the endpoint</param>
public sealed record EndpointOwner(string? Tenant, bool Synced);

/// <summary>
/// The shell of a master's <see cref="ReadModelState"/>: subscribes to the changes of global and the tenants,
/// asks global for its dump and which tenants exist, and each of them for a dump, until it has them all (reads
/// wait meanwhile), asks a source for a dump when it missed changes, and answers lists, GETs, inspects and
/// writes waiting to be shown.
/// </summary>
public sealed partial class ReadModelActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly IActorRef _global;
    private readonly IActorRef _tenants;
    private readonly IActorRef _pools;
    private readonly IActorRef _feed;
    private readonly IActorRef _watch;
    private readonly ReadModelSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReadModelState _state = ReadModelState.Empty;
    private bool _askingTenants;
    private bool _answering;
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly List<(AnswerWrite Write, ReadVersion Version, IActorRef ReplyTo, DateTime Deadline)> _waiting = [];

    public ITimerScheduler Timers { get; set; } = null!;
    public IStash Stash { get; set; } = null!;

    /// <param name="watch">told every change applied, as <see cref="WatchChanges"/> (the consoles' live view)</param>
    public static Props Props(IActorRef global, IActorRef tenants, IActorRef pools, IActorRef feed, IActorRef watch, ReadModelSettings settings) =>
        Akka.Actor.Props.Create(() => new ReadModelActor(global, tenants, pools, feed, watch, settings));

    public ReadModelActor(IActorRef global, IActorRef tenants, IActorRef pools, IActorRef feed, IActorRef watch, ReadModelSettings settings)
    {
        _global = global;
        _tenants = tenants;
        _pools = pools;
        _feed = feed;
        _watch = watch;
        _settings = settings;
        Syncing();
    }

    private void Syncing()
    {
        Feeding();
        Receive<ListObjects>(_ => Stash.Stash());
        Receive<GetObject>(_ => Stash.Stash());
        Receive<InspectObject>(_ => Stash.Stash());
        Receive<InspectVerdict>(_ => Stash.Stash());
    }

    /// <summary>Synced, or past its patience: what is loaded is answered, the rest is refused saying what is missing.</summary>
    private void Answering()
    {
        Feeding();
        Receive<ListObjects>(list =>
        {
            if (!_state.Synced) Sender.Tell(StillLoading());
            else if (list.OnlyTenants is { } tenants) Sender.Tell(new ListBody(_state.ListBody(list.Kind, tenants)));
            else if (list.Kind.IsTenantScoped()) Sender.Tell(new ListBody(_state.ListBody(list.Kind)));
            else Sender.Tell(new ApiItems([.. GlobalViews.List(_state.Global!.State, list.Kind)]));
        });
        Receive<GetObject>(get =>
        {
            if (!CanAnswer(get.Kind, get.Key)) Sender.Tell(StillLoading());
            else Sender.Tell(View(get.Kind, get.Key) is { } json ? new ApiOk(json) : NotFound(get.Kind, get.Key));
        });
        Receive<InspectObject>(inspect =>
        {
            if (!CanAnswer(inspect.Kind, inspect.Key)) Sender.Tell(StillLoading());
            else Inspect(inspect);
        });
        Receive<InspectVerdict>(ask => Sender.Tell(Judge(ask)));
    }

    private bool CanAnswer(ObjectKind kind, string key) => _state.CanAnswer(kind, Split(kind, key).Tenant);

    private ApiError StillLoading()
    {
        var missing = _state.Missing();
        var named = string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
        return ApiError.Unavailable($"this master's read model has not loaded {named} yet (they did not answer it); try again or read through another master");
    }

    /// <summary>What the model does in either behaviour: take changes and dumps, keep asking for what it lacks, hold writes until shown.</summary>
    private void Feeding()
    {
        Receive<AskTenantPresence>(ask => Sender.Tell(new TenantPresence(_state.HoldsTenant(ask.Tenant), _state.Synced)));
        Receive<AskEndpointOwner>(ask => Sender.Tell(new EndpointOwner(_state.TenantOfEndpoint(ask.EndpointId), _state.Synced)));
        Receive<SubscribeAck>(_ =>
        {
            AskDump(ReadSources.Global);
            AskTenants();
        });
        Receive<TenantsNotListed>(failed =>
        {
            _askingTenants = false;
            _log.Info("read model: global did not list the tenants ({0}); asking again", failed.Reason);
        });
        Receive<Messages.Globals.TenantNames>(names =>
        {
            _askingTenants = false;
            _state = _state.Expecting(names.Names);
            foreach (var tenant in _state.Unsynced!) AskDump(tenant);
            AfterChange();
        });
        Receive<TenantChanged>(change =>
        {
            var before = _state.Tenants.GetValueOrDefault(change.Tenant);
            _state = _state.Apply(change, out var askDump, out var touched);
            if (askDump) SendDumpRequest(change.Tenant);
            if (_state.Tenants.GetValueOrDefault(change.Tenant) is { } after && !ReferenceEquals(before, after))
                TellWatchers(WatchEvents.OfTenantChange(after, touched));
            AfterChange();
        });
        Receive<TenantDump>(dump =>
        {
            var before = _state.Tenants.GetValueOrDefault(dump.Tenant);
            _state = _state.Apply(dump);
            if (!ReferenceEquals(before, _state.Tenants.GetValueOrDefault(dump.Tenant))) TellWatchers(WatchEvents.OfTenantReload(dump.Tenant));
            AfterChange();
        });
        Receive<GlobalChanged>(change =>
        {
            var before = _state.Global;
            _state = _state.Apply(change, out var askDump);
            if (askDump) SendGlobalDumpRequest();
            if (!ReferenceEquals(before, _state.Global)) TellWatchers(WatchEvents.OfGlobalChange(before?.State, _state.Global!.State));
            AfterChange();
        });
        Receive<GlobalDump>(dump =>
        {
            var before = _state.Global;
            _state = _state.Apply(dump);
            if (!ReferenceEquals(before, _state.Global)) TellWatchers(WatchEvents.OfGlobalChange(before?.State, _state.Global!.State));
            AfterChange();
        });
        Receive<DumpNotAnswered>(lost => _state = _state.DumpLost(lost.Tenant));
        Receive<SyncTick>(_ =>
        {
            if (_state.Global is null) AskDump(ReadSources.Global);
            if (_state.Unsynced is null) AskTenants();
            else foreach (var tenant in _state.Unsynced) AskDump(tenant);
            if (_state.Synced) Timers.Cancel(SyncTick.Instance);
            else if (!_answering && DateTime.UtcNow - _started > _settings.SyncPatience)
            {
                // One source that never loads must not hold every read on this master hostage.
                _log.Warning("read model: {0} not loaded after {1}; answering what is loaded, refusing the rest", string.Join(", ", _state.Missing()), _settings.SyncPatience);
                StartAnswering();
            }
        });
        Receive<AnswerWrite>(write =>
        {
            var version = write.Written switch
            {
                ObjectSaved saved => saved.Version,
                ObjectDeleted deleted => deleted.Version,
                _ => null,
            };
            if (version is null)
            {
                Sender.Tell(write.Written);
                return;
            }
            _waiting.Add((write, version, Sender, DateTime.UtcNow + _settings.AwaitTimeout));
            // A tenant this model holds no changes of (or of another start of it) will not catch up by itself.
            if (!_state.Follows(version)) AskDump(version.Source);
            AnswerWaiting();
        });
        Receive<WaitTick>(_ =>
        {
            // A write still not shown after a tick: its change was published before this master's subscription
            // reached the publisher (a master that just started), and no later change will reveal the gap.
            var waitedATick = DateTime.UtcNow + _settings.AwaitTimeout * 3 / 4;
            foreach (var source in _waiting.Where(w => w.Deadline <= waitedATick && !_state.Reached(w.Version)).Select(w => w.Version.Source).Distinct().ToList())
                AskDump(source);
            AnswerWaiting();
        });
        Receive<Resettle>(_ =>
        {
            // Changes published while this master's subscription was still spreading never came: load everything
            // once more, now that it has spread.
            AskDump(ReadSources.Global);
            foreach (var tenant in _state.Tenants.Keys) AskDump(tenant);
        });
    }

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(ReadModelTopic.Name, Self));
        Timers.StartPeriodicTimer(SyncTick.Instance, SyncTick.Instance, _settings.SyncRetry);
        Timers.StartPeriodicTimer(WaitTick.Instance, WaitTick.Instance, _settings.AwaitTimeout / 4);
    }

    private void TellWatchers(IEnumerable<WatchEvent> events) => _watch.Tell(new WatchChanges([.. events]));

    private void AfterChange()
    {
        AnswerWaiting();
        if (_state.Synced && !_answering) StartAnswering();
    }

    private void StartAnswering()
    {
        Timers.StartSingleTimer(Resettle.Instance, Resettle.Instance, _settings.Resettle);
        _answering = true;
        Become(Answering);
        Stash.UnstashAll();
    }

    private void AskTenants()
    {
        if (_askingTenants || _state.Unsynced is not null) return;
        _askingTenants = true;
        _global.Ask<TenantNames>(new ShardEnvelope(EntityIds.Global, new ListTenantNames()), _settings.AskTimeout)
            .PipeTo(Self, failure: ex => new TenantsNotListed(ex.GetBaseException().Message));
    }

    private void AskDump(string source)
    {
        _state = _state.AskingDump(source, out var ask);
        if (!ask) return;
        if (source == ReadSources.Global) SendGlobalDumpRequest();
        else SendDumpRequest(source);
    }

    private void SendGlobalDumpRequest() =>
        _global.Ask<GlobalDump>(new ShardEnvelope(EntityIds.Global, new DumpGlobal()), _settings.AskTimeout)
            .PipeTo(Self, success: dump => dump, failure: _ => new DumpNotAnswered(ReadSources.Global));

    private void SendDumpRequest(string tenant) =>
        _tenants.Ask<TenantDump>(new ShardEnvelope(tenant, new DumpTenant()), _settings.AskTimeout)
            .PipeTo(Self, success: dump => dump, failure: _ => new DumpNotAnswered(tenant));

    /// <summary>Answers the writes the model now shows, and those whose time is up (durable, only not shown here yet).</summary>
    private void AnswerWaiting()
    {
        var now = DateTime.UtcNow;
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            var (write, version, replyTo, deadline) = _waiting[i];
            var reached = _state.Reached(version);
            if (!reached && now < deadline) continue;
            if (!reached) _log.Warning("read model: {0} not shown within {1}; answering the write from what this master holds", version, _settings.AwaitTimeout);
            replyTo.Tell(Answer(write.Written));
            _waiting.RemoveAt(i);
        }
    }

    private ApiReply Answer(ApiReply written) => written switch
    {
        ObjectSaved saved => View(saved.Kind, saved.Key) is { } json ? new ApiOk(json) : NotFound(saved.Kind, saved.Key),
        ObjectDeleted deleted => new ApiOk(System.Text.Json.JsonSerializer.Serialize(deleted.Key)),
        _ => written,
    };

    private string? View(ObjectKind kind, string key)
    {
        if (!kind.IsTenantScoped()) return _state.Global is { } global ? GlobalViews.View(global.State, kind, key) : null;
        var (tenant, name) = Split(kind, key);
        return _state.View(kind, tenant, name);
    }

    private static (string Tenant, string Name) Split(ObjectKind kind, string key)
    {
        var colon = key.IndexOf(':');
        return kind == ObjectKind.Tenant || colon < 0 ? (key, key) : (key[..colon], key[(colon + 1)..]);
    }

    private static ApiError NotFound(ObjectKind kind, string key) => ApiError.NotFound($"{kind.TypeName()} {key} not found");

    private sealed record DumpNotAnswered(string Tenant);

    private sealed record TenantsNotListed(string Reason);

    private sealed class SyncTick
    {
        public static readonly SyncTick Instance = new();
    }

    private sealed class WaitTick
    {
        public static readonly WaitTick Instance = new();
    }

    private sealed class Resettle
    {
        public static readonly Resettle Instance = new();
    }
}
