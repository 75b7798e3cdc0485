using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Contiv.Messages.Api;
using Contiv.Messages.Reads;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Tenants;

/// <summary>
/// A tenant's side of the masters' read models, composed into its shell: the events of each durable write,
/// numbered per start of the entity and published to every master, and the version a write's answer carries
/// so the gateway can answer once its master's read model shows the write.
/// </summary>
/// <param name="servedBy">the cluster address of the master this entity runs on, for the tenant's inspect</param>
public sealed class TenantReadSource(string tenant, IActorRef mediator, string servedBy)
{
    private readonly Guid _incarnation = Guid.NewGuid();
    private long _seq;

    public ReadVersion Version => new(tenant, _incarnation, _seq);

    public void Publish(ImmutableArray<ITenantEvent> events)
    {
        if (events.IsEmpty) return;
        mediator.Tell(new Publish(ReadModelTopic.Name, new TenantChanged(tenant, _incarnation, ++_seq, events)));
    }

    public TenantDump Dump(TenantState state) => new(tenant, _incarnation, _seq, TenantSnapshots.Capture(state), servedBy);

    /// <summary>A start of the entity tells every read model where it begins.</summary>
    public void PublishDump(TenantState state) => mediator.Tell(new Publish(ReadModelTopic.Name, Dump(state)));

    /// <summary>A decision's answer as the gateway takes it: views and deletions become the version to wait for.</summary>
    public object Answer(object reply) => reply switch
    {
        RenderView view => new ObjectSaved(view.Kind, view.Key, Version),
        DeletedKey deleted => new ObjectDeleted(deleted.Key, Version),
        _ => reply,
    };
}
