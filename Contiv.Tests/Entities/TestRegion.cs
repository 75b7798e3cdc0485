using Akka.Actor;
using Akka.Persistence;
using Contiv.Master.Sharding;
using Contiv.Messages.Sharding;

namespace Contiv.Tests.Entities;

/// <summary>
/// A stand-in for a shard region without the cluster: <see cref="ShardEnvelope"/>(id, message) is forwarded,
/// sender kept, to the child for that id, started on demand from <c>props(id)</c>. <see cref="StopEntity"/>
/// stops a child and answers <see cref="EntityStopped"/> once it has terminated; messages for an entity
/// that is stopping wait for its end and then start a new incarnation, as a region does after passivation.
/// </summary>
public sealed class TestRegion : ReceiveActor
{
    private readonly Func<string, Props> _props;
    private readonly Dictionary<string, IActorRef> _entities = new();
    private readonly Dictionary<IActorRef, string> _idOf = new();
    private readonly Dictionary<string, (IActorRef ReplyTo, List<(object Message, IActorRef Sender)> Waiting)> _stopping = new();
    private int _incarnation;

    public static Props Props(Func<string, Props> props) => Akka.Actor.Props.Create(() => new TestRegion(props));

    public TestRegion(Func<string, Props> props)
    {
        _props = props;
        Receive<ShardEnvelope>(envelope =>
        {
            if (_stopping.TryGetValue(envelope.EntityId, out var stopping))
            {
                stopping.Waiting.Add((envelope.Message, Sender));
                return;
            }
            EntityFor(envelope.EntityId).Forward(envelope.Message);
        });
        Receive<StopEntity>(stop =>
        {
            if (!_entities.TryGetValue(stop.EntityId, out var entity))
            {
                Sender.Tell(new EntityStopped(stop.EntityId));
                return;
            }
            _stopping[stop.EntityId] = (Sender, []);
            entity.Tell(PoisonPill.Instance);
        });
        Receive<Terminated>(terminated =>
        {
            if (!_idOf.Remove(terminated.ActorRef, out var id)) return;
            _entities.Remove(id);
            if (!_stopping.Remove(id, out var stopping)) return;
            stopping.ReplyTo.Tell(new EntityStopped(id));
            foreach (var (message, sender) in stopping.Waiting) EntityFor(id).Tell(message, sender);
        });
    }

    private IActorRef EntityFor(string id)
    {
        if (_entities.TryGetValue(id, out var entity)) return entity;
        // A fresh name per incarnation: the old child's name may still be reserved.
        entity = Context.ActorOf(_props(id), $"{id}-{++_incarnation}");
        Context.Watch(entity);
        _entities[id] = entity;
        _idOf[entity] = id;
        return entity;
    }
}

public sealed record StopEntity(string EntityId);

public sealed record EntityStopped(string EntityId);

/// <summary>
/// Writes events to a persistence id as a crashed incarnation would have left them: recovers (to continue
/// its sequence numbers), persists the events, answers <see cref="EventsWritten"/> and stops.
/// Only use it while no other actor has the same persistence id.
/// </summary>
public sealed class JournalWriter : ReceivePersistentActor
{
    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, IActorRef replyTo, params object[] events) =>
        Akka.Actor.Props.Create(() => new JournalWriter(persistenceId, replyTo, events));

    public JournalWriter(string persistenceId, IActorRef replyTo, object[] events)
    {
        PersistenceId = persistenceId;
        Recover<RecoveryCompleted>(_ =>
        {
            var remaining = events.Length;
            PersistAll(events, _ =>
            {
                if (--remaining > 0) return;
                replyTo.Tell(new EventsWritten(persistenceId, LastSequenceNr));
                Context.Stop(Self);
            });
        });
        RecoverAny(_ => { });
    }
}

public sealed record EventsWritten(string PersistenceId, long LastSequenceNr);
