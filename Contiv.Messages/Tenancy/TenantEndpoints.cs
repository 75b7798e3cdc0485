using Contiv.Messages.Endpoints;
using Contiv.Messages.Serialization;

namespace Contiv.Messages.Tenancy;

// The tenant keeps the registry of its endpoints: it refuses to delete a network or group that has
// any (also while one is being created), counts them in inspect, and publishes them to agents.

/// <summary>Step 1 of an endpoint's create saga. Idempotent. Answered with <see cref="EndpointRegistered"/> or an ApiError
/// (missing tenant, network or group; a group of another network).</summary>
public sealed record RegisterEndpoint(string EndpointId, EndpointSpec Spec) : IContivWire;

/// <param name="RangeOwner">the pool owner of the group's reserved range, when the group has an ipPool</param>
public sealed record EndpointRegistered(string EndpointId, string? RangeOwner) : IContivWire, Api.IEntityReply;

/// <summary>Step 3: the endpoint holds its address. Answered with <see cref="EndpointRecorded"/>.</summary>
public sealed record RecordEndpoint(EndpointInfo Endpoint) : IContivWire;

public sealed record EndpointRecorded(string EndpointId) : IContivWire, Api.IEntityReply;

/// <summary>Last step of a delete (or of a refused create). Idempotent. Answered with <see cref="EndpointUnregistered"/>.</summary>
public sealed record UnregisterEndpoint(string EndpointId) : IContivWire;

public sealed record EndpointUnregistered(string EndpointId) : IContivWire, Api.IEntityReply;

public sealed record EndpointRegisteredEvent(string Id, EndpointSpec Spec) : ITenantEvent;

public sealed record EndpointRecordedEvent(EndpointInfo Endpoint) : ITenantEvent;

public sealed record EndpointUnregisteredEvent(string Id) : ITenantEvent;
