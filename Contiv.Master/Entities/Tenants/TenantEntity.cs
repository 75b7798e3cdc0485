using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Contiv.Master.Entities.Sagas;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;
using Contiv.Messages.Reads;
using Contiv.Messages.Tenancy;
using TenantStep = Contiv.Master.Entities.Sagas.SagaStep<Contiv.Master.Entities.Tenants.TenantSaga, Contiv.Messages.Tenancy.ITenantEvent>;

namespace Contiv.Master.Entities.Tenants;

/// <summary>
/// The persistence shell of one tenant. A change that needs no other entity is applied at once and answered
/// when durable; one that does runs as a <see cref="TenantSaga"/>, whose steps this shell only executes,
/// stashing other requests until the saga's last step so each request sees the outcome of the one before.
/// After recovery, <see cref="TenantReconcileSaga"/> runs first.
/// </summary>
public sealed class TenantEntity : ReceivePersistentActor
{
    private readonly string _name;
    private readonly EntitySettings _settings;
    private readonly SagaRegions _regions;
    private readonly FeedSource _feedSource;
    private readonly ReadSource _reads;
    private readonly string _servedBy;
    private readonly EntityWrites _writes;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TenantState _state;
    private TenantSaga? _saga;
    private IActorRef _requester = ActorRefs.Nobody;

    public override string PersistenceId => "tenant-" + _name;

    /// <param name="readModels">where the tenant's durable changes are published for every master's read model (the pub-sub mediator)</param>
    /// <param name="servedBy">the cluster address of this master, for the tenant's inspect</param>
    public static Props Props(string name, EntitySettings settings, IActorRef global, IActorRef pools, IActorRef feed, IActorRef readModels, string servedBy) =>
        Akka.Actor.Props.Create(() => new TenantEntity(name, settings, global, pools, feed, readModels, servedBy));

    public TenantEntity(string name, EntitySettings settings, IActorRef global, IActorRef pools, IActorRef feed, IActorRef readModels, string servedBy)
    {
        _name = name;
        _settings = settings;
        _regions = new SagaRegions(global, ActorRefs.Nobody, pools);
        _feedSource = new FeedSource(TenantFeed.Source(name), feed);
        _reads = new ReadSource(name, readModels);
        _servedBy = servedBy;
        _writes = new EntityWrites($"tenant {name}", settings.SnapshotEvery);
        _state = TenantState.Initial(name);

        Recover<ITenantEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer => _state = TenantSnapshots.Restore(name, (TenantSnapshot)offer.Snapshot));
        Recover<RecoveryCompleted>(_ =>
        {
            _feedSource.Dump(TenantFeed.Views(_state));
            _reads.PublishDump(Dump());
            StartSaga(TenantReconcileSaga.Start(_state), ActorRefs.Nobody);
        });
        Ready();
    }

    // ---- behaviours ---------------------------------------------------------------------------

    private void Ready()
    {
        Command<SaveObject>(save => Execute(TenantRules.PlanSave(_state, save.Config)));
        Command<DeleteObject>(delete => Execute(TenantRules.PlanDelete(_state, delete.Kind, NameIn(delete.Key))));
        Command<RegisterEndpoint>(register => PersistAndReply(TenantEndpointRules.DecideRegister(_state, register.EndpointId, register.Spec)));
        Command<RecordEndpoint>(record => PersistAndReply(TenantEndpointRules.DecideRecord(_state, record.Endpoint)));
        Command<UnregisterEndpoint>(unregister => PersistAndReply(TenantEndpointRules.DecideUnregister(_state, unregister.EndpointId)));
        // The dump waits for writes in flight: agents learn only what is durable.
        Command<DumpSource>(dump => DeferAsync(dump, _ => _feedSource.Dump(TenantFeed.Views(_state))));
        Command<DumpTenant>(dump => AfterPendingWrites(dump, _ => Dump()));
        // Requests for tenants that do not exist start entities too: let those go.
        Command<ReceiveTimeout>(_ => PassivateIfAbsent());
        // After the writes in flight, so none is cut off; the shard holds what comes meanwhile.
        Command<StopWhenWritten>(stop => DeferAsync(stop, _ => Context.Stop(Self)));
        // Only the newest snapshot is ever read: drop the older ones.
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "tenant {0}: snapshot failed", _name));
        SetReceiveTimeout(_settings.IdleTimeout);
    }

    private void Busy()
    {
        Command<StepAnswer>(answer => RunStep(_saga!.Next(_state, answer.Value)));
        CommandAny(_ => Stash.Stash());
    }

    private sealed record StepAnswer(object Value);

    /// <summary>What the shard sends back when this entity asked to be passivated.</summary>
    private sealed record StopWhenWritten;

    private void PassivateIfAbsent()
    {
        if (_state.HoldsNothing)
        {
            Context.Parent.Tell(new Passivate(new StopWhenWritten()));
            // A shard still remembering this entity's start ignores the request: ask again soon.
            SetReceiveTimeout(_settings.PassivateRetry);
        }
        else SetReceiveTimeout(_settings.IdleTimeout);
    }

    // ---- plans and sagas ----------------------------------------------------------------------

    private void Execute(TenantPlan plan)
    {
        if (plan is ImmediatePlan immediate) PersistAndReply(immediate.Decision);
        else StartSaga(TenantSaga.Start(_state, plan), Sender);
    }

    private void StartSaga(TenantStep first, IActorRef requester)
    {
        _requester = requester;
        Become(Busy);
        RunStep(first);
    }

    /// <summary>The step's events first (applied and published as each is durable), its action after the last.</summary>
    private void RunStep(TenantStep step)
    {
        _saga = step.Saga;
        foreach (var note in step.Notes) _log.Log(note.Level, note.Message);
        if (step.Events.IsEmpty)
        {
            RunAction(step.Action);
            return;
        }
        var remaining = step.Events.Length;
        _writes.Started(ActorRefs.Nobody, step.Events.Length);
        PersistAll(step.Events, e =>
        {
            var before = _state;
            _state = _state.Apply(e);
            _feedSource.Publish(TenantFeed.Changes(e, before, _state));
            if (--remaining > 0) return;
            _reads.Publish((incarnation, seq) => new TenantChanged(_name, incarnation, seq, step.Events));
            WriteCompleted(ActorRefs.Nobody, step.Events.Length);
            RunAction(step.Action);
        });
    }

    private void RunAction(SagaAction action)
    {
        var asker = $"tenant {_name}";
        switch (action)
        {
            case AskEntity ask:
                _regions.Ask(ask, _settings.AskTimeout, asker).PipeTo(Self, success: answer => new StepAnswer(answer));
                break;
            case AskEntities all:
                Task.WhenAll(all.Asks.Select(ask => _regions.Ask(ask, _settings.AskTimeout, asker)))
                    .PipeTo(Self, success: answers => new StepAnswer(new AllAnswered([.. answers])));
                break;
            case FinishSaga finish:
                _requester.Tell(_reads.Answer(finish.Reply));
                _requester = ActorRefs.Nobody;
                _saga = null;
                Become(Ready);
                Stash.UnstashAll();
                break;
        }
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
            DeferAsync(decision.Reply, reply =>
            {
                sender.Tell(_reads.Answer(reply));
                // A refusal because the tenant does not exist (a GET, DELETE or save in a tenant that was never
                // made): stop at once, or every such name would hold a remembered entity for idle-entity-timeout.
                PassivateIfAbsent();
            });
            return;
        }
        var changes = new List<FeedChange>();
        foreach (var e in decision.Events)
        {
            var before = _state;
            _state = _state.Apply(e);
            changes.AddRange(TenantFeed.Changes(e, before, _state));
        }
        var remaining = decision.Events.Length;
        _writes.Started(sender, decision.Events.Length);
        PersistAllAsync(decision.Events, _ =>
        {
            if (--remaining > 0) return;
            _feedSource.Publish(changes);
            _reads.Publish((incarnation, seq) => new TenantChanged(_name, incarnation, seq, decision.Events));
            WriteCompleted(sender, decision.Events.Length);
            sender.Tell(_reads.Answer(decision.Reply));
        });
    }

    private void WriteCompleted(IActorRef requester, int events)
    {
        if (_writes.Completed(requester, events)) SaveSnapshot(TenantSnapshots.Capture(_state));
    }

    /// <summary>Reads wait for writes still in flight, so no one sees a change that might not survive.</summary>
    private void AfterPendingWrites<T>(T request, Func<T, object> answer)
    {
        var sender = Sender;
        DeferAsync(request, r => sender.Tell(answer(r)));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writes.FailAll(cause, _requester);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private TenantDump Dump() => _reads.Dump((incarnation, seq) => new TenantDump(_name, incarnation, seq, TenantSnapshots.Capture(_state), _servedBy));

    /// <summary>The part of an object key after the tenant: <c>t1:n1</c> → <c>n1</c>, <c>t1:p1:r1</c> → <c>p1:r1</c>.</summary>
    private string NameIn(string key) => key == _name ? _name : key.StartsWith(_name + ":", StringComparison.Ordinal) ? key[(_name.Length + 1)..] : key;
}
