using Contiv.Messages.Serialization;

namespace Contiv.Messages.Endpoints;

/// <summary>
/// Commands of an endpoint entity (<c>endpoint/&lt;id&gt;</c>), sent by agents through a sharding
/// proxy in a <see cref="Sharding.ShardEnvelope"/> addressed to <see cref="EndpointId"/>.
/// Answered with the reply named, or an <see cref="Api.ApiError"/>.
/// </summary>
public interface IEndpointCommand : IContivWire
{
    string EndpointId { get; }
}

/// <summary>Creates the endpoint, or answers with it when it exists with the same spec (a retried call).
/// Answered with <see cref="EndpointReady"/>.</summary>
public sealed record CreateEndpoint(string EndpointId, EndpointSpec Spec) : IEndpointCommand;

public sealed record EndpointReady(EndpointInfo Endpoint) : IContivWire, Api.IEntityReply;

/// <summary>Deletes the endpoint and frees its address; deleting one that does not exist succeeds.
/// Answered with <see cref="EndpointRemoved"/>.</summary>
public sealed record RemoveEndpoint(string EndpointId) : IEndpointCommand;

public sealed record EndpointRemoved(string EndpointId, string? IpAddress) : IContivWire, Api.IEntityReply;

/// <summary>Answered with <see cref="EndpointReady"/>, or NotFound.</summary>
public sealed record GetEndpoint(string EndpointId) : IEndpointCommand;

public static class EndpointCommandExtensions
{
    /// <summary>The command as the endpoint region and its proxies route it: to the entity it names.</summary>
    public static Sharding.ShardEnvelope Addressed(this IEndpointCommand command) => new(command.EndpointId, command);
}
