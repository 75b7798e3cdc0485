using Contiv.Master.Entities.Sagas;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;

namespace Contiv.Master.Entities.Endpoints;

public enum EndpointPhase
{
    Absent,
    /// <summary>The create saga runs (register with the tenant, take an address, record it).</summary>
    Creating,
    Ready,
    /// <summary>The delete saga runs (free the address, unregister).</summary>
    Removing,
}

/// <summary>One endpoint, pure. The shell (<see cref="EndpointEntity"/>) runs the sagas the phases name.</summary>
public sealed record EndpointState(string Id)
{
    public EndpointPhase Phase { get; init; }
    public EndpointSpec? Spec { get; init; }
    public EndpointInfo? Info { get; init; }

    public EndpointState Apply(IEndpointEvent @event) => @event switch
    {
        EndpointRequestedEvent requested => this with { Phase = EndpointPhase.Creating, Spec = requested.Spec, Info = null },
        EndpointAddressedEvent addressed => this with { Phase = EndpointPhase.Ready, Info = addressed.Endpoint },
        EndpointRemovingEvent => this with { Phase = EndpointPhase.Removing },
        EndpointRemovedEvent or EndpointRefusedEvent => new EndpointState(Id),
        _ => this,
    };

    /// <summary>What a create asks of this state: start the saga, answer at once, or refuse.</summary>
    public Decision<IEndpointEvent> DecideCreate(EndpointSpec spec) => Phase switch
    {
        EndpointPhase.Absent => Decision<IEndpointEvent>.Persist(SagaAnswers.Later, new EndpointRequestedEvent(Id, spec)),
        EndpointPhase.Ready when Spec == spec => Decision<IEndpointEvent>.Answer(new EndpointReady(Info!)),
        EndpointPhase.Removing => Decision<IEndpointEvent>.Refuse(ApiError.Conflict($"endpoint {Id} is being deleted; retry when that is done")),
        _ => Decision<IEndpointEvent>.Refuse(ApiError.Conflict(
            $"endpoint {Id} already exists for container {Spec!.ContainerId} on network {Spec.Tenant}:{Spec.Network}" +
            (Spec.Group is null ? "" : $" group {Spec.Group}") + $" on host {Spec.Host}")),
    };

    public Decision<IEndpointEvent> DecideRemove() => Phase switch
    {
        EndpointPhase.Absent => Decision<IEndpointEvent>.Answer(new EndpointRemoved(Id, null)),
        EndpointPhase.Removing => Decision<IEndpointEvent>.Answer(SagaAnswers.Later),
        _ => Decision<IEndpointEvent>.Persist(SagaAnswers.Later, new EndpointRemovingEvent(Id)),
    };
}
