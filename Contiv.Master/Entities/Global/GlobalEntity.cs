using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;

namespace Contiv.Master.Entities.Global;

/// <summary>The persistence shell of the one <c>global</c> entity: settings, tag allocators, tenant directory, Bgp.
/// Its objects are read from the read models; it answers writes with the version to wait for.</summary>
public sealed class GlobalEntity : ReceivePersistentActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private GlobalState _state;
    private readonly FeedSource _feed;
    private readonly ReadSource _reads;
    private readonly EntityWrites _writes;

    public override string PersistenceId => "global";

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writes.FailAll(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <param name="readModels">where global's durable changes are published for every master's read model (the pub-sub mediator)</param>
    public static Props Props(EntitySettings settings, IActorRef feed, IActorRef readModels) =>
        Akka.Actor.Props.Create(() => new GlobalEntity(settings, feed, readModels));

    public GlobalEntity(EntitySettings settings, IActorRef feed, IActorRef readModels)
    {
        _feed = new FeedSource(Feed.StateFeedActor.GlobalFeedSource, feed);
        _reads = new ReadSource(ReadSources.Global, readModels);
        _writes = new EntityWrites("global", settings.SnapshotEvery);
        _state = GlobalState.Initial(settings.DefaultFwdMode);

        Recover<IGlobalEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer => _state = GlobalSnapshots.Restore((GlobalSnapshot)offer.Snapshot, settings.DefaultFwdMode));
        Recover<RecoveryCompleted>(_ =>
        {
            // Fix the first start's settings (fwd mode from the command line) in the journal.
            if (!_state.Initialized) Self.Tell(new SaveObject(_state.Config), Self);
            _feed.Dump([Settings]);
            _reads.PublishDump(Dump());
        });
        Command<DumpSource>(_ => _feed.Dump([Settings]));
        Command<DumpGlobal>(_ => Sender.Tell(Dump()));
        Command<ObjectSaved>(_ => { }); // the answer to that first save

        Command<SaveObject>(save => save.Config switch
        {
            GlobalConfig global => Run(_state.DecideSave(global)),
            BgpConfig bgp => Run(_state.DecideSaveBgp(bgp)),
            _ => Reply(ApiError.Invalid($"{save.Kind.Plural()} are not global objects")),
        });
        Command<DeleteObject>(delete => delete.Kind == ObjectKind.Bgp
            ? Run(_state.DecideDeleteBgp(delete.Key))
            : Reply(ApiError.Conflict("global can not be deleted: every network depends on it")));
        Command<AllocateNetworkTags>(allocate => Run(_state.DecideAllocate(allocate)));
        Command<ReleaseNetworkTags>(release => Run(_state.DecideRelease(release.Owner)));
        Command<ListTagOwners>(list => Reply(new TagOwners([.. _state.TagsOf.Keys.Where(o => o.StartsWith(list.Prefix, StringComparison.Ordinal))])));
        Command<RegisterTenant>(register => Run(_state.DecideRegisterTenant(register.Name)));
        Command<UnregisterTenant>(unregister => Run(_state.DecideUnregisterTenant(unregister.Name)));
        Command<ListTenantNames>(_ => Reply(new TenantNames([.. _state.Tenants.Keys])));
        // Only the newest snapshot is ever read: drop the older ones.
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "global: snapshot failed"));
    }

    private SettingsView Settings => new(_state.Config.FwdMode ?? "bridge", _state.Config.ArpMode ?? "proxy");

    private bool Reply(IEntityReply reply)
    {
        Sender.Tell(reply);
        return true;
    }

    private bool Run(Decision<IGlobalEvent> decision)
    {
        var sender = Sender;
        if (decision.Events.IsEmpty)
        {
            sender.Tell(_reads.Answer(decision.Reply));
            return true;
        }
        var remaining = decision.Events.Length;
        _writes.Started(sender, decision.Events.Length);
        PersistAll(decision.Events, e =>
        {
            _state = _state.Apply(e);
            if (e is GlobalConfigSavedEvent) _feed.Publish([FeedChange.Upsert(Settings)]);
            if (--remaining > 0) return;
            _reads.Publish((incarnation, seq) => new GlobalChanged(incarnation, seq, decision.Events));
            if (_writes.Completed(sender, decision.Events.Length)) SaveSnapshot(GlobalSnapshots.Capture(_state));
            sender.Tell(_reads.Answer(decision.Reply));
        });
        return true;
    }

    private GlobalDump Dump() => _reads.Dump((incarnation, seq) => new GlobalDump(incarnation, seq, GlobalSnapshots.Capture(_state)));
}
