using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Contiv.Master.Entities.Sagas;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;

namespace Contiv.Master.Entities.Endpoints;

/// <summary>
/// The persistence shell of one endpoint: it persists the phase a command decides, then runs the steps
/// <see cref="EndpointSaga"/> names (asks, persists, the answer) and stashes other commands meanwhile.
/// The region remembers endpoints, so a saga a dead master left half-way resumes when the entity restarts.
/// </summary>
public sealed class EndpointEntity : ReceivePersistentActor
{
    private readonly EntitySettings _settings;
    private readonly SagaRegions _regions;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EntityWrites _writes;
    private EndpointState _state;
    private EndpointSaga? _saga;
    private IActorRef _requester = ActorRefs.Nobody;

    public override string PersistenceId => "endpoint-" + _state.Id;

    public static Props Props(string id, EntitySettings settings, IActorRef tenants, IActorRef pools) =>
        Akka.Actor.Props.Create(() => new EndpointEntity(id, settings, tenants, pools));

    public EndpointEntity(string id, EntitySettings settings, IActorRef tenants, IActorRef pools)
    {
        _settings = settings;
        _regions = new SagaRegions(ActorRefs.Nobody, tenants, pools);
        _state = new EndpointState(id);
        // Endpoints are small and short-lived: their journal is never snapshotted.
        _writes = new EntityWrites($"endpoint {id}", snapshotEvery: int.MaxValue);

        Recover<IEndpointEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => StartSaga(ActorRefs.Nobody));
        Idle();
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writes.FailAll(cause, _requester);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Idle()
    {
        Command<CreateEndpoint>(create => PersistPhaseThenSaga(_state.DecideCreate(create.Spec)));
        Command<RemoveEndpoint>(_ => PersistPhaseThenSaga(_state.DecideRemove()));
        Command<GetEndpoint>(_ =>
        {
            Sender.Tell(_state.Phase == EndpointPhase.Ready
                ? new EndpointReady(_state.Info!)
                : ApiError.NotFound($"endpoint {_state.Id} not found"));
            PassivateIfAbsent();
        });
        Command<StopWhenWritten>(stop => DeferAsync(stop, _ => Context.Stop(Self)));
        Command<ReceiveTimeout>(_ => PassivateIfAbsent());
    }

    /// <summary>What the shard sends back when this entity asked to be passivated.</summary>
    private sealed record StopWhenWritten;

    /// <summary>An inspect of an endpoint that does not exist started this entity: stop it at once, it holds nothing.</summary>
    private void PassivateIfAbsent()
    {
        if (_state.Phase != EndpointPhase.Absent)
        {
            SetReceiveTimeout(null);
            return;
        }
        Context.Parent.Tell(new Passivate(new StopWhenWritten()));
        // A shard still remembering this entity's start ignores the request: ask again soon.
        SetReceiveTimeout(_settings.PassivateRetry);
    }

    private void Busy()
    {
        Command<StepAnswer>(answer => RunStep(_saga!.Next(_state, answer.Value)));
        CommandAny(_ => Stash.Stash());
    }

    /// <summary>A decision either answers at once or moves the endpoint into a phase whose saga then runs.</summary>
    private void PersistPhaseThenSaga(Decision<IEndpointEvent> decision)
    {
        var requester = Sender;
        if (decision.Events.IsEmpty)
        {
            // Nothing to persist: an answer, or a delete a failed step left in its phase, resumed now.
            if (decision.Reply is SagaAnswers) StartSaga(requester);
            else requester.Tell(decision.Reply);
            return;
        }
        _writes.Started(requester, 1);
        Persist(decision.Events[0], e =>
        {
            _writes.Completed(requester, 1);
            _state = _state.Apply(e);
            StartSaga(requester);
        });
    }

    private void StartSaga(IActorRef requester)
    {
        if (EndpointSaga.Resume(_state) is not { } first) return;
        _requester = requester;
        Become(Busy);
        RunStep(first);
    }

    /// <summary>The step's events first, its action once they are durable.</summary>
    private void RunStep(SagaStep<EndpointSaga, IEndpointEvent> step)
    {
        _saga = step.Saga;
        if (step.Events.IsEmpty)
        {
            Execute(step.Action);
            return;
        }
        var remaining = step.Events.Length;
        PersistAll(step.Events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining == 0) Execute(step.Action);
        });
    }

    private void Execute(SagaAction action)
    {
        switch (action)
        {
            case AskEntity ask:
                _regions.Ask(ask, _settings.AskTimeout, $"endpoint {_state.Id}").PipeTo(Self, success: value => new StepAnswer(value));
                break;
            case FinishSaga finish:
                Finish(finish.Reply);
                break;
        }
    }

    private void Finish(IEntityReply reply)
    {
        if (reply is ApiError { Kind: ApiErrorKind.Unavailable } error)
            _log.Warning("endpoint {0}: {1} (phase {2} kept; the next request resumes it)", _state.Id, error.Message, _state.Phase);
        _requester.Tell(reply);
        _requester = ActorRefs.Nobody;
        _saga = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    private sealed record StepAnswer(object Value);
}
