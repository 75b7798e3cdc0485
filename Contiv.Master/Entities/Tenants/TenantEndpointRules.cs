using Contiv.Master.Entities.Pools;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Tenants;

/// <summary>The tenant's side of an endpoint's life: is the attachment valid, and the registry that blocks deletes.</summary>
public static class TenantEndpointRules
{
    public static Decision<ITenantEvent> DecideRegister(TenantState state, string id, EndpointSpec spec)
    {
        if (!state.Exists) return Decision<ITenantEvent>.Refuse(ApiError.NotFound($"tenant {state.Name} not found"));
        if (!state.Networks.ContainsKey(spec.Network))
            return Decision<ITenantEvent>.Refuse(ApiError.NotFound($"network {state.Name}:{spec.Network} not found"));
        string? rangeOwner = null;
        if (spec.Group is { } groupName)
        {
            if (!state.Groups.TryGetValue(groupName, out var group))
                return Decision<ITenantEvent>.Refuse(ApiError.NotFound($"endpoint group {state.Name}:{groupName} not found"));
            if (group.NetworkName != spec.Network)
                return Decision<ITenantEvent>.Refuse(ApiError.Invalid(
                    $"endpoint group {state.Name}:{groupName} belongs to network {group.NetworkName}, not {spec.Network}"));
            rangeOwner = group.IpPool is null ? null : IpPoolState.GroupOwnerPrefix + groupName;
        }
        var registered = new EndpointRegistered(id, rangeOwner);
        if (state.Endpoints.TryGetValue(id, out var existing))
        {
            return existing.Spec == spec
                ? Decision<ITenantEvent>.Answer(registered)
                : Decision<ITenantEvent>.Refuse(ApiError.Conflict(
                    $"endpoint {id} already exists for container {existing.Spec.ContainerId} on network {existing.Spec.Tenant}:{existing.Spec.Network}"));
        }
        return Decision<ITenantEvent>.Persist(registered, new EndpointRegisteredEvent(id, spec));
    }

    public static Decision<ITenantEvent> DecideRecord(TenantState state, EndpointInfo endpoint)
    {
        if (!state.Endpoints.TryGetValue(endpoint.Id, out var existing))
            return Decision<ITenantEvent>.Refuse(ApiError.NotFound($"endpoint {endpoint.Id} is not registered in tenant {state.Name}"));
        return existing.Info == endpoint
            ? Decision<ITenantEvent>.Answer(new EndpointRecorded(endpoint.Id))
            : Decision<ITenantEvent>.Persist(new EndpointRecorded(endpoint.Id), new EndpointRecordedEvent(endpoint));
    }

    public static Decision<ITenantEvent> DecideUnregister(TenantState state, string id) =>
        state.Endpoints.ContainsKey(id)
            ? Decision<ITenantEvent>.Persist(new EndpointUnregistered(id), new EndpointUnregisteredEvent(id))
            : Decision<ITenantEvent>.Answer(new EndpointUnregistered(id));
}
