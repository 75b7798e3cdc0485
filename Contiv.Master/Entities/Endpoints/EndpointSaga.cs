using Contiv.Master.Entities.Pools;
using Contiv.Master.Entities.Sagas;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Endpoints;

/// <summary>
/// The create and delete sagas of one endpoint, pure. Create: register with the tenant (which checks the
/// network and group and blocks their deletion), take an address from the network's pool (owner
/// <c>ep:&lt;id&gt;</c>, so a retry gets the same one), record it with the tenant (which publishes it to
/// the agents), then answer. Delete, or a create that fails after registering: free the address,
/// unregister. Every step is idempotent and the phase is persisted before the first, so a master that
/// dies at any step resumes from <see cref="Resume"/> when the entity restarts and converges.
/// </summary>
/// <param name="Waiting">the step whose answer the saga waits for</param>
/// <param name="Granted">the endpoint as the pool's grant made it, until the tenant has recorded it</param>
/// <param name="Released">the address the delete freed, for its answer</param>
/// <param name="FailedCreate">why the create failed, when the delete saga undoes it: the answer instead of "removed"</param>
public sealed record EndpointSaga(EndpointStep Waiting, EndpointInfo? Granted = null, string? Released = null, ApiError? FailedCreate = null)
{
    /// <summary>What a recovered or freshly persisted phase starts with; null when no saga runs in it.</summary>
    public static SagaStep<EndpointSaga, IEndpointEvent>? Resume(EndpointState state) => state.Phase switch
    {
        EndpointPhase.Creating => Register(state),
        EndpointPhase.Removing => Release(state, failedCreate: null),
        _ => null,
    };

    /// <summary>The next step, given the answer to the one the saga waited for.</summary>
    public SagaStep<EndpointSaga, IEndpointEvent> Next(EndpointState state, object answer) => (Waiting, answer) switch
    {
        // No answer does not mean no registration: clean up as after any failed step.
        (EndpointStep.Register, ApiError { Kind: ApiErrorKind.Unavailable } error) => Undo(state, error),
        (EndpointStep.Register, ApiError refused) =>
            SagaStep<EndpointSaga, IEndpointEvent>.Finish(this, refused, new EndpointRefusedEvent(state.Id, refused.Message)),
        (EndpointStep.Register, EndpointRegistered registered) => Allocate(state, registered),
        (EndpointStep.Allocate, AddressGranted granted) => Record(state, granted),
        (EndpointStep.Record, EndpointRecorded) =>
            SagaStep<EndpointSaga, IEndpointEvent>.Finish(this, new EndpointReady(Granted!), new EndpointAddressedEvent(Granted!)),
        (EndpointStep.Allocate or EndpointStep.Record, ApiError error) => Undo(state, error),
        (EndpointStep.Release, AddressReleased released) =>
            SagaStep<EndpointSaga, IEndpointEvent>.Ask(this with { Waiting = EndpointStep.Unregister, Released = released.Address },
                SagaTarget.Tenant, state.Spec!.Tenant, new UnregisterEndpoint(state.Id)),
        (EndpointStep.Unregister, EndpointUnregistered) => SagaStep<EndpointSaga, IEndpointEvent>.Finish(this,
            FailedCreate ?? (IEntityReply)new EndpointRemoved(state.Id, Released), new EndpointRemovedEvent(state.Id)),
        // The delete keeps its phase: the next request, or the next start of the entity, resumes it.
        (EndpointStep.Release or EndpointStep.Unregister, ApiError error) => SagaStep<EndpointSaga, IEndpointEvent>.Finish(this, error),
        _ => SagaStep<EndpointSaga, IEndpointEvent>.Finish(this,
            ApiError.Unavailable($"endpoint {state.Id}: unexpected answer {answer.GetType().Name} while waiting for {Waiting}")),
    };

    /// <summary>The pool owner an endpoint's address is held under.</summary>
    public static string Owner(EndpointState state) => IpPoolState.EndpointOwnerPrefix + state.Id;

    private static SagaStep<EndpointSaga, IEndpointEvent> Register(EndpointState state) =>
        SagaStep<EndpointSaga, IEndpointEvent>.Ask(new EndpointSaga(EndpointStep.Register),
            SagaTarget.Tenant, state.Spec!.Tenant, new RegisterEndpoint(state.Id, state.Spec));

    private SagaStep<EndpointSaga, IEndpointEvent> Allocate(EndpointState state, EndpointRegistered registered)
    {
        var spec = state.Spec!;
        return SagaStep<EndpointSaga, IEndpointEvent>.Ask(this with { Waiting = EndpointStep.Allocate },
            SagaTarget.Pool, PoolOwners.PoolId(spec.Tenant, spec.Network),
            new AllocateAddress(Owner(state), spec.PreferredIp, registered.RangeOwner, spec.AddressFromIpam));
    }

    private SagaStep<EndpointSaga, IEndpointEvent> Record(EndpointState state, AddressGranted granted)
    {
        var info = new EndpointInfo(state.Id, state.Spec!, granted.Address, granted.PrefixLength, granted.Mac, granted.Gateway);
        return SagaStep<EndpointSaga, IEndpointEvent>.Ask(this with { Waiting = EndpointStep.Record, Granted = info },
            SagaTarget.Tenant, state.Spec!.Tenant, new RecordEndpoint(info));
    }

    /// <summary>A create that failed after the tenant may have registered it: take back what was done, then report why.</summary>
    private static SagaStep<EndpointSaga, IEndpointEvent> Undo(EndpointState state, ApiError why)
    {
        var release = Release(state, why);
        return release with { Events = [new EndpointRemovingEvent(state.Id)] };
    }

    private static SagaStep<EndpointSaga, IEndpointEvent> Release(EndpointState state, ApiError? failedCreate)
    {
        var spec = state.Spec!;
        return SagaStep<EndpointSaga, IEndpointEvent>.Ask(new EndpointSaga(EndpointStep.Release, FailedCreate: failedCreate),
            SagaTarget.Pool, PoolOwners.PoolId(spec.Tenant, spec.Network), new ReleaseAddress(Owner(state)));
    }
}

public enum EndpointStep
{
    Register,
    Allocate,
    Record,
    Release,
    Unregister,
}
