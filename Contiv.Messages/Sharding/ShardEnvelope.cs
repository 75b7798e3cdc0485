namespace Contiv.Messages.Sharding;

/// <summary>
/// A message for one entity of a shard region. It crosses between masters when the entity lives on another
/// one; <see cref="Serialization.ContivSerializer"/> writes the inner message with whatever serializer it is bound to.
/// </summary>
public sealed record ShardEnvelope(string EntityId, object Message) : Serialization.IContivWire;
