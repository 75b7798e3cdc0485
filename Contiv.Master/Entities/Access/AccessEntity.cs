using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using Contiv.Messages.Access;
using Contiv.Messages.Api;

namespace Contiv.Master.Entities.Access;

/// <summary>
/// The persistence shell of the one <c>access</c> entity (users, authorizations, sessions). Every durable change is
/// announced to every master (<see cref="AccessChanged"/>) so that none keeps using a principal it cached before.
/// </summary>
public sealed class AccessEntity : ReceivePersistentActor
{
    public const string EntityId = "access";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _mediator;
    private readonly EntityWrites _writes;
    private AccessState _state = AccessState.Empty;

    public override string PersistenceId => EntityId;

    public static Props Props(EntitySettings settings, IActorRef mediator) =>
        Akka.Actor.Props.Create(() => new AccessEntity(settings, mediator));

    public AccessEntity(EntitySettings settings, IActorRef mediator)
    {
        _mediator = mediator;
        _writes = new EntityWrites(EntityId, settings.SnapshotEvery);

        Recover<IAccessEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer => _state = AccessState.Restore((AccessSnapshot)offer.Snapshot));

        Command<SaveUser>(save => Run(_state.Decide(save)));
        Command<DeleteUser>(delete => Run(_state.DecideDelete(delete)));
        Command<EnsureFirstAdmin>(first => Run(_state.Decide(first)));
        Command<AddAuthorization>(add => Run(_state.Decide(add)));
        Command<RemoveAuthorization>(remove => Run(_state.Decide(remove)));
        Command<OpenSession>(open => Run(_state.Decide(open)));
        Command<CloseSession>(close => Run(_state.Decide(close)));
        Command<Authenticate>(authenticate => Sender.Tell(_state.Authenticate(authenticate)));
        Command<GetUser>(get => Sender.Tell(_state.Users.TryGetValue(get.Username, out var user)
            ? new UserAnswer(user) : ApiError.NotFound($"user {get.Username} not found")));
        Command<ListUsers>(_ => Sender.Tell(new UsersAnswer([.. _state.Users.Values])));
        Command<GetAuthorization>(get => Sender.Tell(_state.Authorizations.TryGetValue(get.Id, out var authorization)
            ? new AuthorizationAnswer(authorization) : ApiError.NotFound($"authorization {get.Id} not found")));
        Command<ListAuthorizations>(_ => Sender.Tell(new AuthorizationsAnswer([.. _state.Authorizations.Values])));
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "access: snapshot failed"));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writes.FailAll(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Run(Decision<IAccessEvent> decision)
    {
        var sender = Sender;
        if (decision.Events.IsEmpty)
        {
            sender.Tell(decision.Reply);
            return;
        }
        var remaining = decision.Events.Length;
        _writes.Started(sender, decision.Events.Length);
        PersistAll(decision.Events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining > 0) return;
            // A new session changes no one's access; everything else may revoke what a master has cached.
            if (decision.Events.Any(changed => changed is not (SessionOpenedEvent or SessionsExpiredEvent)))
                _mediator.Tell(new Publish(AccessChanged.Topic, new AccessChanged()));
            if (_writes.Completed(sender, decision.Events.Length)) SaveSnapshot(_state.Capture());
            sender.Tell(decision.Reply);
        });
    }
}
