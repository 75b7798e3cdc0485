using System.Collections.Immutable;
using Contiv.Messages.Model;

namespace Contiv.Messages.Reads;

/// <summary>One API object as GET answers it; <paramref name="Json"/> null: the object is gone.</summary>
/// <param name="Name">the object's name within its source (its key without the tenant: <c>net1</c>, <c>p1:r1</c>)</param>
public sealed record RenderedObject(ObjectKind Kind, string Name, string? Json);

/// <summary>Where a source's published objects stand: changes are numbered per start (incarnation) of the entity.</summary>
public sealed record ReadVersion(string Source, Guid Incarnation, long Seq) : Serialization.IContivWire;

/// <summary>
/// The objects a source's durable write changed, published to every master's read model. A read model that
/// sees a gap in <paramref name="Seq"/> or an incarnation it does not know asks the source for a dump.
/// </summary>
public sealed record ObjectsChanged(string Source, Guid Incarnation, long Seq, ImmutableArray<RenderedObject> Objects) : Serialization.IContivWire;

/// <summary>Every object a source holds, as of its change <paramref name="Seq"/>.</summary>
public sealed record ObjectsDump(string Source, Guid Incarnation, long Seq, ImmutableArray<RenderedObject> Objects) : Serialization.IContivWire;

/// <summary>Asks a source for an <see cref="ObjectsDump"/>, answered to the sender.</summary>
public sealed record DumpObjects : Serialization.IContivWire;

/// <summary>The DistributedPubSub topic every master's read model subscribes to.</summary>
public static class ReadModelTopic
{
    public const string Name = "contiv-read-model";
}
