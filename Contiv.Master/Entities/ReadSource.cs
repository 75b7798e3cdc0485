using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Contiv.Messages.Api;
using Contiv.Messages.Reads;

namespace Contiv.Master.Entities;

/// <summary>
/// An entity's side of the masters' read models, composed into the tenant and global shells: the events of
/// each durable write, numbered per start of the entity and published to every master, and the version a
/// write's answer carries, so the gateway answers once its master's read model shows the write.
/// </summary>
/// <param name="source">a tenant's name, or <see cref="ReadSources.Global"/></param>
/// <param name="mediator">the DistributedPubSub mediator (nobody where no read model listens)</param>
public sealed class ReadSource(string source, IActorRef mediator)
{
    private readonly Guid _incarnation = Guid.NewGuid();
    private long _seq;

    public ReadVersion Version => new(source, _incarnation, _seq);

    /// <summary>Publishes the change <paramref name="changed"/> builds from this start's incarnation and the next number.</summary>
    public void Publish(Func<Guid, long, object> changed) => mediator.Tell(new Publish(ReadModelTopic.Name, changed(_incarnation, ++_seq)));

    /// <summary>A dump as of the latest published change.</summary>
    public T Dump<T>(Func<Guid, long, T> dump) => dump(_incarnation, _seq);

    /// <summary>A start of the entity tells every read model where it begins.</summary>
    public void PublishDump(object dump) => mediator.Tell(new Publish(ReadModelTopic.Name, dump));

    /// <summary>A decision's answer as the gateway takes it: views and deletions become the version to wait for.</summary>
    public IEntityReply Answer(IEntityReply reply) => reply switch
    {
        RenderView view => new ObjectSaved(view.Kind, view.Key, Version),
        DeletedKey deleted => new ObjectDeleted(deleted.Key, Version),
        _ => reply,
    };
}
