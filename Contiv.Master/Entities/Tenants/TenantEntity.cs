using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Sharding;
using Contiv.Master.Views;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Entities.Tenants;

/// <summary>
/// The persistence shell of one tenant. Plans that need another entity run as a saga: the tenant
/// stashes other requests until the saga's last step, so each request sees the outcome of the one before.
/// </summary>
public sealed partial class TenantEntity : ReceivePersistentActor
{
    private readonly string _name;
    private readonly EntitySettings _settings;
    private readonly IActorRef _global;
    private readonly IActorRef _pools;
    private readonly IActorRef _feed;
    // Changes are numbered per start of this actor, so the feed can tell a gap or a restart.
    private readonly Guid _incarnation = Guid.NewGuid();
    private long _feedSeq;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TenantState _state;
    private int _eventsSinceSnapshot;
    private int _pendingWrites;
    private IActorRef _requester = ActorRefs.Nobody;
    private readonly AwaitingWrites _awaiting = new();
    private Action<object>? _continuation;

    public override string PersistenceId => "tenant-" + _name;

    public static Props Props(string name, EntitySettings settings, IActorRef global, IActorRef pools, IActorRef feed) =>
        Akka.Actor.Props.Create(() => new TenantEntity(name, settings, global, pools, feed));

    public TenantEntity(string name, EntitySettings settings, IActorRef global, IActorRef pools, IActorRef feed)
    {
        _name = name;
        _settings = settings;
        _global = global;
        _pools = pools;
        _feed = feed;
        _state = TenantState.Initial(name);

        Recover<ITenantEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer => _state = TenantSnapshots.Restore(name, (TenantSnapshot)offer.Snapshot));
        Recover<RecoveryCompleted>(_ =>
        {
            _feed.Tell(Dump());
            Reconcile();
        });
        Ready();
    }

    // ---- behaviours ---------------------------------------------------------------------------

    private void Ready()
    {
        Command<SaveObject>(save => Execute(TenantRules.PlanSave(_state, save.Config)));
        Command<DeleteObject>(delete => Execute(TenantRules.PlanDelete(_state, delete.Kind, NameIn(delete.Key))));
        Command<GetObject>(get => AfterPendingWrites(get, g => TenantViews.View(_state, g.Kind, NameIn(g.Key)) is { } json
            ? new ApiOk(json) : NotFound(g.Kind, g.Key)));
        Command<ListObjects>(list => AfterPendingWrites(list, l => new ApiItems([.. TenantViews.List(_state, l.Kind)])));
        Command<InspectObject>(inspect => DeferAsync(inspect, Inspect));
        Command<RegisterEndpoint>(register => PersistAndReply(TenantEndpointRules.DecideRegister(_state, register.EndpointId, register.Spec)));
        Command<RecordEndpoint>(record => PersistAndReply(TenantEndpointRules.DecideRecord(_state, record.Endpoint)));
        Command<UnregisterEndpoint>(unregister => PersistAndReply(TenantEndpointRules.DecideUnregister(_state, unregister.EndpointId)));
        // The dump waits for writes in flight: agents learn only what is durable.
        Command<DumpSource>(dump => DeferAsync(dump, _ => _feed.Tell(Dump())));
        Command<ReceiveTimeout>(_ =>
        {
            // Requests for tenants that do not exist start entities too: let those go.
            if (!_state.Exists && _state.Networks.IsEmpty) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
        // Only the newest snapshot is ever read: drop the older ones.
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "tenant {0}: snapshot failed", _name));
        SetReceiveTimeout(_settings.IdleTimeout);
    }

    private void Busy()
    {
        Command<StepResult>(result =>
        {
            var next = _continuation;
            _continuation = null;
            next?.Invoke(result.Value);
        });
        CommandAny(_ => Stash.Stash());
    }

    private sealed record StepResult(object Value);

    // ---- plans --------------------------------------------------------------------------------

    private void Execute(TenantPlan plan)
    {
        if (plan is ImmediatePlan immediate)
        {
            PersistAndReply(immediate.Decision);
            return;
        }
        _requester = Sender;
        Become(Busy);
        switch (plan)
        {
            case CreateTenantPlan create:
                AskThen(GlobalEntityRef, new RegisterTenant(_name), registered =>
                    PersistThen([new TenantCreatedEvent(create.Config, ((TenantRegistered)registered).Id)], () => FinishWithView(ObjectKind.Tenant, _name)));
                break;
            case DeleteTenantPlan:
                PersistThen([new TenantDeletedEvent(_name)], () =>
                    AskThen(GlobalEntityRef, new UnregisterTenant(_name), _ => Finish(Deleted(_name)),
                        onError: error => FinishDeletedDespite(error, _name)));
                break;
            case CreateNetworkPlan create:
                CreateNetwork(create.Config);
                break;
            case DeleteNetworkPlan delete:
                DeleteNetwork(delete.Name);
                break;
            case CreateGroupWithPoolPlan create:
                WithPoolWork(create.Config.NetworkName!, new ReserveRange(IpPoolState.GroupOwnerPrefix + create.Config.GroupName, create.Config.IpPool!),
                    _ => PersistThen([new EndpointGroupSavedEvent(create.Config)], () => FinishWithView(ObjectKind.EndpointGroup, create.Config.Key)));
                break;
            case DeleteGroupWithPoolPlan delete:
                WithPoolWork(delete.Config.NetworkName!, new ReleaseRange(IpPoolState.GroupOwnerPrefix + delete.Config.GroupName),
                    _ => PersistThen([new EndpointGroupDeletedEvent(delete.Config.GroupName!)], () => Finish(Deleted(delete.Config.Key))));
                break;
            case SaveServiceLbPlan save:
                WithPoolWork(save.Config.NetworkName!, new AllocateAddress(IpPoolState.ServiceOwnerPrefix + save.Config.ServiceName, save.Config.IpAddress),
                    granted => PersistThen([new ServiceLbSavedEvent(save.Config, ((AddressGranted)granted).Address)],
                        () => FinishWithView(ObjectKind.ServiceLb, save.Config.Key)));
                break;
            case DeleteServiceLbPlan delete:
                WithPoolWork(delete.Entry.Config.NetworkName!, new ReleaseAddress(IpPoolState.ServiceOwnerPrefix + delete.Entry.Config.ServiceName),
                    _ => PersistThen([new ServiceLbDeletedEvent(delete.Entry.Config.ServiceName!)], () => Finish(Deleted(delete.Entry.Config.Key))));
                break;
            default:
                Finish(ApiError.Invalid($"unknown plan {plan.GetType().Name}"));
                break;
        }
    }

    private void CreateNetwork(NetworkConfig config)
    {
        var owner = config.Key;
        // Tags and pool are independent: ask both at once, undo whichever succeeded if the other did not.
        AskAllThen([(GlobalEntityRef, new AllocateNetworkTags(owner, config.Encap!, config.PktTag)),
                    (PoolEnvelope(config.NetworkName!), new OpenPool(config.Subnet!, config.Gateway))], results =>
        {
            if (results[0] is NetworkTagsGranted granted && results[1] is not ApiError)
            {
                PersistThen([new NetworkCreatedEvent(config, granted.Tags)], () => FinishWithView(ObjectKind.Network, config.Key));
                return;
            }
            var error = results.OfType<ApiError>().First();
            if (results[0] is NetworkTagsGranted) _global.Tell(new ShardEnvelope(EntityIds.Global, new ReleaseNetworkTags(owner)));
            if (results[1] is not ApiError) _pools.Tell(new ShardEnvelope(EntityIds.Pool(_name, config.NetworkName!), new ClosePool()));
            Finish(error);
        });
    }

    private void DeleteNetwork(string network)
    {
        WithPoolWork(network, new ClosePool(), _ =>
            PersistThen([new NetworkDeletedEvent(network)], () =>
                AskThen(GlobalEntityRef, new ReleaseNetworkTags($"{_name}:{network}"), _ => Finish(Deleted($"{_name}:{network}")),
                    onError: error => FinishDeletedDespite(error, $"{_name}:{network}"))));
    }

    /// <summary>Marks the network's pool as being worked on, runs one pool command, and on refusal unmarks it.</summary>
    private void WithPoolWork(string network, IPoolCommand command, Action<object> onSuccess)
    {
        PersistThen([new PoolWorkStartedEvent(network)], () =>
            AskThen(PoolEnvelope(network), command, onSuccess,
                onError: error => PersistThen([new PoolWorkEndedEvent(network)], () => Finish(error))));
    }

    // ---- saga steps ---------------------------------------------------------------------------

    private void AskThen(EntityRef target, object message, Action<object> onSuccess, Action<ApiError>? onError = null)
    {
        _continuation = result =>
        {
            if (result is ApiError error) (onError ?? Finish)(error);
            else onSuccess(result);
        };
        var what = message.GetType().Name;
        target.Region.Ask<object>(new ShardEnvelope(target.EntityId, message), _settings.AskTimeout).PipeTo(Self,
            success: value => new StepResult(value),
            failure: ex => new StepResult(ApiError.Unavailable($"tenant {_name}: {what} did not complete: {ex.GetBaseException().Message}")));
    }

    /// <summary>
    /// A change that needs no other entity: applied at once, so the next request is judged against it,
    /// and answered (with the view as of this change) only when its events are durable. Writes of
    /// consecutive requests share journal round trips.
    /// </summary>
    private void PersistAndReply(Decision<ITenantEvent> decision)
    {
        var sender = Sender;
        if (decision.Events.IsEmpty)
        {
            DeferAsync(ReplyFor(decision.Reply), reply => sender.Tell(reply));
            return;
        }
        var changes = new List<Messages.Feed.FeedChange>();
        foreach (var e in decision.Events)
        {
            var before = _state;
            _state = _state.Apply(e);
            changes.AddRange(TenantFeed.Changes(e, before, _state));
        }
        var reply = ReplyFor(decision.Reply);
        var remaining = decision.Events.Length;
        _pendingWrites += remaining;
        _awaiting.Add(sender);
        PersistAllAsync(decision.Events, _ =>
        {
            _pendingWrites--;
            if (--remaining > 0) return;
            Publish(changes);
            _awaiting.Done(sender);
            sender.Tell(reply);
            MaybeSnapshot(decision.Events.Length);
        });
    }

    /// <summary>Reads wait for writes still in flight, so no one sees a change that might not survive.</summary>
    private void AfterPendingWrites<T>(T request, Func<T, object> answer)
    {
        var sender = Sender;
        DeferAsync(request, r => sender.Tell(answer(r)));
    }

    private void AskAllThen(IReadOnlyList<(EntityRef Target, object Message)> asks, Action<object[]> next)
    {
        _continuation = results => next((object[])results);
        Task.WhenAll(asks.Select(ask => ask.Target.Region
                .Ask<object>(new ShardEnvelope(ask.Target.EntityId, ask.Message), _settings.AskTimeout)
                .ContinueWith(task => task.IsCompletedSuccessfully
                    ? task.Result
                    : ApiError.Unavailable($"tenant {_name}: {ask.Message.GetType().Name} did not complete in time"))))
            .PipeTo(Self, success: results => new StepResult(results));
    }

    private void PersistThen(IReadOnlyCollection<ITenantEvent> events, Action next)
    {
        if (events.Count == 0)
        {
            next();
            return;
        }
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            var before = _state;
            _state = _state.Apply(e);
            Publish(TenantFeed.Changes(e, before, _state));
            if (--remaining > 0) return;
            MaybeSnapshot(events.Count);
            next();
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _awaiting.FailAll($"tenant {_name}", cause, _requester);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Finish(object reply)
    {
        _requester.Tell(ReplyFor(reply));
        EndSaga();
    }

    private void EndSaga()
    {
        _requester = ActorRefs.Nobody;
        _continuation = null;
        Become(Ready);
        Stash.UnstashAll();
    }

    private void FinishWithView(ObjectKind kind, string key) => Finish(new RenderView(kind, key));

    /// <summary>The delete is durable; only the clean-up in <c>global</c> did not answer. The next
    /// reconciliation gives back what it still holds, so the delete is reported as done.</summary>
    private void FinishDeletedDespite(ApiError error, string key)
    {
        _log.Warning("tenant {0}: {1} deleted, but global did not confirm the clean-up ({2}); it is retried when the tenant restarts", _name, key, error.Message);
        Finish(Deleted(key));
    }

    private object ReplyFor(object reply) => reply switch
    {
        RenderView view => TenantViews.View(_state, view.Kind, NameIn(view.Key)) is { } json ? new ApiOk(json) : NotFound(view.Kind, view.Key),
        DeletedKey deleted => Deleted(deleted.Key),
        _ => reply,
    };

    // ---- the feed to agents -------------------------------------------------------------------

    private void Publish(IReadOnlyCollection<Messages.Feed.FeedChange> changes)
    {
        if (changes.Count == 0) return;
        _feed.Tell(new Messages.Feed.SourceChanged(TenantFeed.Source(_name), _incarnation, ++_feedSeq, [.. changes]));
    }

    private Messages.Feed.SourceDump Dump() => new(TenantFeed.Source(_name), _incarnation, _feedSeq, TenantFeed.Views(_state));

    // ---- helpers ------------------------------------------------------------------------------

    private EntityRef GlobalEntityRef => new(_global, EntityIds.Global);

    private EntityRef PoolEnvelope(string network) => new(_pools, EntityIds.Pool(_name, network));

    /// <summary>One entity behind a shard region.</summary>
    private readonly record struct EntityRef(IActorRef Region, string EntityId);

    /// <summary>The part of an object key after the tenant: <c>t1:n1</c> → <c>n1</c>, <c>t1:p1:r1</c> → <c>p1:r1</c>.</summary>
    private string NameIn(string key) => key == _name ? _name : key.StartsWith(_name + ":", StringComparison.Ordinal) ? key[(_name.Length + 1)..] : key;

    private static ApiOk Deleted(string key) => new(System.Text.Json.JsonSerializer.Serialize(key));

    private static ApiError NotFound(ObjectKind kind, string key) => ApiError.NotFound($"{kind.TypeName()} {key} not found");

    private void MaybeSnapshot(int events)
    {
        _eventsSinceSnapshot += events;
        // A snapshot must not contain changes whose events are still being written.
        if (_eventsSinceSnapshot < _settings.SnapshotEvery || _pendingWrites > 0) return;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(TenantSnapshots.Capture(_state));
    }
}
