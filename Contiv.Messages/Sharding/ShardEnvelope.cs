namespace Contiv.Messages.Sharding;

/// <summary>
/// A message for one entity of a shard region. It crosses between masters when the entity lives on another
/// one; <see cref="Serialization.ContivSerializer"/> writes the inner message with whatever serializer it is bound to.
/// </summary>
public sealed record ShardEnvelope(string EntityId, object Message) : Serialization.IContivWire;

/// <summary>
/// Routes <see cref="ShardEnvelope"/>s by entity id, for every region of the masters and every proxy of the
/// agents. A region and its proxies must use the same shard count: <c>contiv.cluster.max-shards</c>
/// (global, tenant, pool) or <c>contiv.cluster.endpoint-shards</c> (endpoint), in cluster.hocon.
/// </summary>
public sealed class EnvelopeExtractor(int maxShards) : Akka.Cluster.Sharding.HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is ShardEnvelope envelope ? envelope.EntityId : null;

    public override object? EntityMessage(object message) => message is ShardEnvelope envelope ? envelope.Message : message;
}
