using Contiv.Messages.Serialization;

namespace Contiv.Messages.Endpoints;

/// <summary>Persisted facts of an endpoint entity, in the order its create and delete sagas write them.</summary>
public interface IEndpointEvent : IContivPersisted;

/// <summary>The create saga starts: from here a restart resumes it (register, allocate, record).</summary>
public sealed record EndpointRequestedEvent(string Id, EndpointSpec Spec) : IEndpointEvent;

public sealed record EndpointAddressedEvent(EndpointInfo Endpoint) : IEndpointEvent;

/// <summary>The delete saga starts: from here a restart resumes it (release, unregister).</summary>
public sealed record EndpointRemovingEvent(string Id) : IEndpointEvent;

public sealed record EndpointRemovedEvent(string Id) : IEndpointEvent;

/// <summary>A create refused by the tenant or the pool: nothing is held, the entity is free again.</summary>
public sealed record EndpointRefusedEvent(string Id, string Reason) : IEndpointEvent;
