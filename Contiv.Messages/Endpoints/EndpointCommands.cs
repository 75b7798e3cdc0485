using Contiv.Messages.Serialization;

namespace Contiv.Messages.Endpoints;

/// <summary>
/// Commands of an endpoint entity (<c>endpoint/&lt;id&gt;</c>), sent by agents through a sharding
/// proxy. Each names its entity, so agents need nothing of the masters' code to route them.
/// Answered with the reply named, or an <see cref="Api.ApiError"/>.
/// </summary>
public interface IEndpointCommand : IContivWire
{
    string EndpointId { get; }
}

/// <summary>Creates the endpoint, or answers with it when it exists with the same spec (a retried call).
/// Answered with <see cref="EndpointReady"/>.</summary>
public sealed record CreateEndpoint(string EndpointId, EndpointSpec Spec) : IEndpointCommand;

public sealed record EndpointReady(EndpointInfo Endpoint) : IContivWire;

/// <summary>Deletes the endpoint and frees its address; deleting one that does not exist succeeds.
/// Answered with <see cref="EndpointRemoved"/>.</summary>
public sealed record RemoveEndpoint(string EndpointId) : IEndpointCommand;

public sealed record EndpointRemoved(string EndpointId, string? IpAddress) : IContivWire;

/// <summary>Answered with <see cref="EndpointReady"/>, or NotFound.</summary>
public sealed record GetEndpoint(string EndpointId) : IEndpointCommand;

/// <summary>
/// Routes endpoint commands by their id, the same on agents (sharding proxy) and masters (region):
/// Akka's hash extractor hashes the id with MurmurHash, stable across processes.
/// </summary>
public sealed class EndpointMessageExtractor() : Akka.Cluster.Sharding.HashCodeMessageExtractor(Shards)
{
    public const string TypeName = "endpoint";
    public const int Shards = 100;

    public override string? EntityId(object message) => (message as IEndpointCommand)?.EndpointId;
}
