using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Contiv.Messages.Api;
using Contiv.Messages.Pools;

namespace Contiv.Master.Entities.Pools;

/// <summary>
/// The persistence shell of a network's IP pool (<c>tenant:network</c>). Decisions are taken against
/// state that already includes events still being written (PersistAsync), so concurrent allocations
/// never hand out an address twice, and each reply is sent only once its event is durable.
/// </summary>
public sealed class IpPoolEntity : ReceivePersistentActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IpPoolState _state;
    private readonly EntityWrites _writes;

    public override string PersistenceId { get; }

    public static Props Props(string entityId, EntitySettings settings) => Akka.Actor.Props.Create(() => new IpPoolEntity(entityId, settings));

    public IpPoolEntity(string entityId, EntitySettings settings)
    {
        _state = IpPoolState.Closed(entityId);
        PersistenceId = "pool-" + entityId;
        _writes = new EntityWrites($"address pool {PersistenceId}", settings.SnapshotEvery);

        Recover<IPoolEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer => _state = PoolSnapshots.Restore(entityId, (PoolSnapshot)offer.Snapshot));
        Command<IPoolCommand>(Handle);
        // Only the newest snapshot is ever read: drop the older ones.
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "pool {0}: snapshot failed", PersistenceId));
    }

    private void Handle(IPoolCommand command)
    {
        var decision = _state.Decide(command);
        var sender = Sender;
        if (decision.Events.IsEmpty)
        {
            // Answer after any still-pending writes: the answer may rest on them.
            DeferAsync(decision.Reply, reply => sender.Tell(reply));
            return;
        }
        foreach (var e in decision.Events) _state = _state.Apply(e);
        var remaining = decision.Events.Length;
        _writes.Started(sender, decision.Events.Length);
        PersistAllAsync(decision.Events, _ =>
        {
            if (--remaining > 0) return;
            if (_writes.Completed(sender, decision.Events.Length)) SaveSnapshot(PoolSnapshots.Capture(_state));
            sender.Tell(decision.Reply);
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writes.FailAll(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "pool {0}: event {1} rejected; restarting from the journal", PersistenceId, @event.GetType().Name);
        base.OnPersistRejected(cause, @event, sequenceNr);
        throw new InvalidOperationException("persist rejected", cause);
    }

    protected override void Unhandled(object message)
    {
        if (message is not (SaveSnapshotSuccess or DeleteSnapshotsSuccess or DeleteSnapshotsFailure or RecoveryCompleted)) Sender.Tell(ApiError.Invalid($"pool {PersistenceId} does not understand {message.GetType().Name}"));
        base.Unhandled(message);
    }
}
