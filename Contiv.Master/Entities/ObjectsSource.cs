using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Contiv.Messages.Api;
using Contiv.Messages.Reads;

namespace Contiv.Master.Entities;

/// <summary>
/// An entity's side of the masters' read models, composed into the tenant: the API views each durable write
/// changed, numbered per start of the entity and published to every master, and the version a write's answer
/// carries so the gateway can wait until its read model shows it.
/// </summary>
public sealed class ObjectsSource(string source, IActorRef mediator)
{
    private readonly Guid _incarnation = Guid.NewGuid();
    private long _seq;

    public ReadVersion Version => new(source, _incarnation, _seq);

    public void Publish(ImmutableArray<RenderedObject> objects)
    {
        if (objects.IsEmpty) return;
        mediator.Tell(new Publish(ReadModelTopic.Name, new ObjectsChanged(source, _incarnation, ++_seq, objects)));
    }

    public ObjectsDump Dump(ImmutableArray<RenderedObject> objects) => new(source, _incarnation, _seq, objects);

    /// <summary>A start of the entity tells every read model where it begins.</summary>
    public void PublishDump(ImmutableArray<RenderedObject> objects) => mediator.Tell(new Publish(ReadModelTopic.Name, Dump(objects)));

    /// <summary>An answer to a write, stamped with the version as of now (its own changes already published).</summary>
    public object Stamped(object reply) => reply is ApiOk ok ? ok with { Version = Version } : reply;
}
