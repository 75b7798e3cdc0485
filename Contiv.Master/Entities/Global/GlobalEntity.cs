using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Contiv.Master.Views;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;

namespace Contiv.Master.Entities.Global;

/// <summary>The persistence shell of the one <c>global</c> entity: settings, tag allocators, tenant directory, Bgp.</summary>
public sealed class GlobalEntity : ReceivePersistentActor
{
    private readonly EntitySettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private GlobalState _state;
    private readonly FeedSource _feed;
    private readonly EntityWrites _writes;

    public override string PersistenceId => "global";

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writes.FailAll(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    public static Props Props(EntitySettings settings, IActorRef feed) => Akka.Actor.Props.Create(() => new GlobalEntity(settings, feed));

    public GlobalEntity(EntitySettings settings, IActorRef feed)
    {
        _settings = settings;
        _feed = new FeedSource(Feed.StateFeedActor.GlobalFeedSource, feed);
        _writes = new EntityWrites("global", settings.SnapshotEvery);
        _state = GlobalState.Initial(settings.DefaultFwdMode);

        Recover<IGlobalEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer => _state = Restore((GlobalSnapshot)offer.Snapshot));
        Recover<RecoveryCompleted>(_ =>
        {
            // Fix the first start's settings (fwd mode from the command line) in the journal.
            if (!_state.Initialized) Self.Tell(new SaveObject(_state.Config), Self);
            _feed.Dump([Settings]);
        });
        Command<DumpSource>(_ => _feed.Dump([Settings]));
        Command<ApiOk>(_ => { }); // the answer to that first save

        Command<SaveObject>(save => save.Config switch
        {
            GlobalConfig global => Run(_state.DecideSave(global)),
            BgpConfig bgp => Run(_state.DecideSaveBgp(bgp)),
            _ => Reply(ApiError.Invalid($"{save.Kind.Plural()} are not global objects")),
        });
        Command<DeleteObject>(delete => delete.Kind == ObjectKind.Bgp
            ? Run(_state.DecideDeleteBgp(delete.Key))
            : Reply(ApiError.Conflict("global can not be deleted: every network depends on it")));
        Command<GetObject>(get => Reply(Render(get.Kind, get.Key) is { } json ? new ApiOk(json) : NotFound(get.Kind, get.Key)));
        Command<InspectObject>(inspect => Reply(Inspect(inspect.Kind, inspect.Key)));
        Command<ListObjects>(list => Reply(new ApiItems(list.Kind == ObjectKind.Global
            ? [Render(ObjectKind.Global, GlobalDefaults.Name)!]
            : [.. _state.Bgps.Values.Select(b => ObjectView.Render(b))])));
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

    private bool Reply(object reply)
    {
        Sender.Tell(reply);
        return true;
    }

    private bool Run(Decision<IGlobalEvent> decision)
    {
        var sender = Sender;
        if (decision.Events.IsEmpty)
        {
            sender.Tell(ReplyFor(decision.Reply));
            return true;
        }
        var remaining = decision.Events.Length;
        _writes.Started(sender, decision.Events.Length);
        PersistAll(decision.Events, e =>
        {
            _state = _state.Apply(e);
            if (e is GlobalConfigSavedEvent) _feed.Publish([FeedChange.Upsert(Settings)]);
            if (--remaining > 0) return;
            if (_writes.Completed(sender, decision.Events.Length)) SaveSnapshot(Capture());
            sender.Tell(ReplyFor(decision.Reply));
        });
        return true;
    }

    /// <summary>Objects become their API view once the events are applied; protocol replies pass as they are.</summary>
    private object ReplyFor(object reply) => reply switch
    {
        RenderView view => Render(view.Kind, view.Key) is { } json ? new ApiOk(json) : NotFound(view.Kind, view.Key),
        DeletedKey deleted => new ApiOk(System.Text.Json.JsonSerializer.Serialize(deleted.Key)),
        _ => reply,
    };

    private string? Render(ObjectKind kind, string key) => kind switch
    {
        ObjectKind.Global when key == GlobalDefaults.Name => ObjectView.Render(_state.Config),
        ObjectKind.Bgp when _state.Bgps.TryGetValue(key, out var bgp) => ObjectView.Render(bgp),
        _ => null,
    };

    private ApiReply Inspect(ObjectKind kind, string key)
    {
        var config = Render(kind, key);
        if (config is null) return NotFound(kind, key);
        var oper = new JsonObject();
        if (kind == ObjectKind.Global)
        {
            var vxlanStart = TagRange.TryParseVxlans(_state.Config.Vxlans, out var vxlans, out _) ? vxlans.Min - 1 : 0;
            oper.With("numNetworks", _state.NetworkCount)
                .With("vlansInUse", AddressRanges.FormatTags(_state.VlansInUse))
                .With("vxlansInUse", AddressRanges.FormatTags(_state.VnisInUse))
                .With("freeVXLANsStart", vxlanStart)
                .With("clusterMode", "docker");
        }
        return new ApiOk(ObjectView.Inspect(config, oper));
    }

    private static ApiError NotFound(ObjectKind kind, string key) => ApiError.NotFound($"{kind.TypeName()} {key} not found");

    private GlobalSnapshot Capture() => new(_state.Config, _state.Initialized,
            [.. _state.TagsOf.Select(t => new NetworkTagsHolding(t.Key, t.Value))],
            [.. _state.Tenants.Keys], [.. _state.Bgps.Values], [.. _state.Tenants.Values], _state.HighestTenantId);

    private GlobalState Restore(GlobalSnapshot snapshot)
    {
        var state = GlobalState.Initial(_settings.DefaultFwdMode) with
        {
            Config = snapshot.Config,
            Initialized = snapshot.Initialized,
            // Snapshots from before tenants had numbers: number them in name order.
            Tenants = snapshot.TenantIds.IsDefault
                ? snapshot.Tenants.Select((name, i) => KeyValuePair.Create(name, name == GlobalDefaults.DefaultTenant ? GlobalDefaults.DefaultTenantId : GlobalDefaults.DefaultTenantId + 1 + i))
                    .ToImmutableSortedDictionary()
                : snapshot.Tenants.Zip(snapshot.TenantIds, KeyValuePair.Create).ToImmutableSortedDictionary(),
            HighestTenantId = Math.Max(snapshot.HighestTenantId, GlobalDefaults.DefaultTenantId + snapshot.Tenants.Length),
        };
        IEnumerable<IGlobalEvent> events =
        [
            .. snapshot.Tags.Select(t => new NetworkTagsTakenEvent(t.Owner, t.Tags)),
            .. snapshot.Bgps.Select(b => new BgpSavedEvent(b)),
        ];
        return events.Aggregate(state, (s, e) => s.Apply(e));
    }
}
