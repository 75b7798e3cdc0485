using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Sharding;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Entities.Endpoints;

/// <summary>
/// The persistence shell of one endpoint. Create: register with the tenant (which checks the network
/// and group and blocks their deletion), take an address from the network's pool (owner
/// <c>ep:&lt;id&gt;</c>, so a retry gets the same one), record it with the tenant (which publishes it to
/// the agents), then answer. Delete, or a create that fails after registering: free the address,
/// unregister. Every step is idempotent and the phase is persisted first, so a master that dies at
/// any step resumes the saga when the entity restarts (the region remembers its entities).
/// </summary>
public sealed class EndpointEntity : ReceivePersistentActor
{
    private readonly EntitySettings _settings;
    private readonly IActorRef _tenants;
    private readonly IActorRef _pools;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private EndpointState _state;
    private IActorRef _requester = ActorRefs.Nobody;
    private readonly AwaitingWrites _awaiting = new();
    private Action<object>? _continuation;

    public override string PersistenceId => "endpoint-" + _state.Id;

    public static Props Props(string id, EntitySettings settings, IActorRef tenants, IActorRef pools) =>
        Akka.Actor.Props.Create(() => new EndpointEntity(id, settings, tenants, pools));

    public EndpointEntity(string id, EntitySettings settings, IActorRef tenants, IActorRef pools)
    {
        _settings = settings;
        _tenants = tenants;
        _pools = pools;
        _state = new EndpointState(id);

        Recover<IEndpointEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_state.Phase == EndpointPhase.Creating) StartCreate(ActorRefs.Nobody);
            else if (_state.Phase == EndpointPhase.Removing) StartRemove(ActorRefs.Nobody, null);
        });
        Idle();
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _awaiting.FailAll($"endpoint {_state.Id}", cause, _requester);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Idle()
    {
        Command<CreateEndpoint>(create =>
        {
            var decision = _state.DecideCreate(create.Spec);
            if (decision.Events.IsEmpty)
            {
                Sender.Tell(decision.Reply);
                return;
            }
            var requester = Sender;
            _awaiting.Add(requester);
            Persist(decision.Events[0], e =>
            {
                _awaiting.Done(requester);
                _state = _state.Apply(e);
                StartCreate(requester);
            });
        });
        Command<RemoveEndpoint>(_ =>
        {
            var decision = _state.DecideRemove();
            if (decision.Reply is EndpointRemoved)
            {
                Sender.Tell(decision.Reply);
                return;
            }
            var requester = Sender;
            if (decision.Events.IsEmpty)
            {
                StartRemove(requester, null);
                return;
            }
            _awaiting.Add(requester);
            Persist(decision.Events[0], e =>
            {
                _awaiting.Done(requester);
                _state = _state.Apply(e);
                StartRemove(requester, null);
            });
        });
        Command<GetEndpoint>(_ => Sender.Tell(_state.Phase == EndpointPhase.Ready
            ? new EndpointReady(_state.Info!)
            : ApiError.NotFound($"endpoint {_state.Id} not found")));
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

    // ---- sagas --------------------------------------------------------------------------------

    private void StartCreate(IActorRef requester)
    {
        _requester = requester;
        Become(Busy);
        var spec = _state.Spec!;
        Ask(_tenants, spec.Tenant, new RegisterEndpoint(_state.Id, spec), registered =>
            Ask(_pools, EntityIds.Pool(spec.Tenant, spec.Network),
                new AllocateAddress(Owner, spec.PreferredIp, ((EndpointRegistered)registered).RangeOwner, spec.AddressFromIpam), granted =>
                {
                    var g = (AddressGranted)granted;
                    var info = new EndpointInfo(_state.Id, spec, g.Address, g.PrefixLength, g.Mac, g.Gateway);
                    Ask(_tenants, spec.Tenant, new RecordEndpoint(info), _ =>
                        Persist(new EndpointAddressedEvent(info), e =>
                        {
                            _state = _state.Apply(e);
                            Finish(new EndpointReady(info));
                        }), onError: Undo);
                }, onError: Undo),
            onError: refused =>
            {
                // No answer does not mean no registration: clean up as after any failed step.
                if (refused.Kind == ApiErrorKind.Unavailable)
                {
                    Undo(refused);
                    return;
                }
                Persist(new EndpointRefusedEvent(_state.Id, refused.Message), e =>
                {
                    _state = _state.Apply(e);
                    Finish(refused);
                });
            });
    }

    /// <summary>A create that failed after the tenant registered it: take back what was done, then report why.</summary>
    private void Undo(ApiError why) => Persist(new EndpointRemovingEvent(_state.Id), e =>
    {
        _state = _state.Apply(e);
        StartRemove(_requester, why);
    });

    private void StartRemove(IActorRef requester, ApiError? afterFailedCreate)
    {
        _requester = requester;
        Become(Busy);
        var spec = _state.Spec!;
        Ask(_pools, EntityIds.Pool(spec.Tenant, spec.Network), new ReleaseAddress(Owner), released =>
            Ask(_tenants, spec.Tenant, new UnregisterEndpoint(_state.Id), _ =>
                Persist(new EndpointRemovedEvent(_state.Id), e =>
                {
                    _state = _state.Apply(e);
                    Finish(afterFailedCreate ?? (object)new EndpointRemoved(_state.Id, ((AddressReleased)released).Address));
                })));
    }

    private string Owner => IpPoolState.EndpointOwnerPrefix + _state.Id;

    // ---- steps --------------------------------------------------------------------------------

    /// <summary>Asks one entity; an error ends the saga (answered, the phase kept for a retry) unless <paramref name="onError"/> handles it.</summary>
    private void Ask(IActorRef region, string entityId, object message, Action<object> onSuccess, Action<ApiError>? onError = null)
    {
        _continuation = result =>
        {
            if (result is ApiError error)
            {
                if (onError is not null) onError(error);
                else Finish(error);
            }
            else onSuccess(result);
        };
        var what = message.GetType().Name;
        region.Ask<object>(new ShardEnvelope(entityId, message), _settings.AskTimeout).PipeTo(Self,
            success: value => new StepResult(value),
            failure: ex => new StepResult(ApiError.Unavailable($"endpoint {_state.Id}: {what} did not complete: {ex.GetBaseException().Message}")));
    }

    private void Finish(object reply)
    {
        if (reply is ApiError { Kind: ApiErrorKind.Unavailable } error)
            _log.Warning("endpoint {0}: {1} (phase {2} kept; the next request resumes it)", _state.Id, error.Message, _state.Phase);
        _requester.Tell(reply);
        _requester = ActorRefs.Nobody;
        _continuation = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    private sealed record StepResult(object Value);
}
