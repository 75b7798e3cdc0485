using System.Text.Json;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using Contiv.Messages.Access;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Sharding;
using Contiv.Messages.Tenancy;

namespace Contiv.Messages.Serialization;

/// <summary>
/// Our serializer for everything persisted and every message between nodes: JSON payloads under explicit, versioned string manifests,
/// so that the journal never names a CLR type and survives refactoring. A type missing here fails
/// loudly at the first write instead of falling back to a default serializer.
/// <para>
/// Evolving a persisted record (an <see cref="IContivPersisted"/> type or anything it holds): the JSON is keyed by
/// property names (or their [JsonPropertyName]), and journals written by older builds must keep reading.
/// <list type="bullet">
/// <item>Never rename or remove a property, and never change its type: the stored field would silently read as missing.</item>
/// <item>A new property is optional, with a default that means what old data (which lacks it) meant,
/// e.g. <c>TenantCreatedEvent.Id = 0</c> "not numbered yet", <c>TenantSnapshot.Endpoints = default</c> "none".</item>
/// <item>A change of meaning is a new manifest version (<c>.v2</c>) for a new record; the <c>.v1</c> manifest stays here and is still read.</item>
/// <item>Golden files (Contiv.Tests/JournalCompat/Golden) are never regenerated, only added: every new persisted type
/// or version gets one, and the JournalCompat tests fail until it has.</item>
/// </list>
/// </para>
/// </summary>
public sealed class ContivSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4101;

    public static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(GlobalConfigSavedEvent)] = "global.config-saved.v1",
        [typeof(NetworkTagsTakenEvent)] = "global.tags-taken.v1",
        [typeof(NetworkTagsFreedEvent)] = "global.tags-freed.v1",
        [typeof(TenantRegisteredEvent)] = "global.tenant-registered.v1",
        [typeof(TenantUnregisteredEvent)] = "global.tenant-unregistered.v1",
        [typeof(BgpSavedEvent)] = "global.bgp-saved.v1",
        [typeof(BgpDeletedEvent)] = "global.bgp-deleted.v1",
        [typeof(GlobalSnapshot)] = "global.snapshot.v1",

        [typeof(TenantCreatedEvent)] = "tenant.created.v1",
        [typeof(TenantDeletedEvent)] = "tenant.deleted.v1",
        [typeof(NetworkCreatedEvent)] = "tenant.network-created.v1",
        [typeof(NetworkDeletedEvent)] = "tenant.network-deleted.v1",
        [typeof(EndpointGroupSavedEvent)] = "tenant.group-saved.v1",
        [typeof(EndpointGroupDeletedEvent)] = "tenant.group-deleted.v1",
        [typeof(PolicySavedEvent)] = "tenant.policy-saved.v1",
        [typeof(PolicyDeletedEvent)] = "tenant.policy-deleted.v1",
        [typeof(RuleAddedEvent)] = "tenant.rule-added.v1",
        [typeof(RuleDeletedEvent)] = "tenant.rule-deleted.v1",
        [typeof(NetProfileSavedEvent)] = "tenant.netprofile-saved.v1",
        [typeof(NetProfileDeletedEvent)] = "tenant.netprofile-deleted.v1",
        [typeof(AppProfileSavedEvent)] = "tenant.appprofile-saved.v1",
        [typeof(AppProfileDeletedEvent)] = "tenant.appprofile-deleted.v1",
        [typeof(ExtContractsGroupSavedEvent)] = "tenant.contracts-saved.v1",
        [typeof(ExtContractsGroupDeletedEvent)] = "tenant.contracts-deleted.v1",
        [typeof(ServiceLbSavedEvent)] = "tenant.servicelb-saved.v1",
        [typeof(ServiceLbDeletedEvent)] = "tenant.servicelb-deleted.v1",
        [typeof(PoolWorkStartedEvent)] = "tenant.pool-work-started.v1",
        [typeof(PoolWorkEndedEvent)] = "tenant.pool-work-ended.v1",
        [typeof(TenantNumberedEvent)] = "tenant.numbered.v1",
        [typeof(TenantSnapshot)] = "tenant.snapshot.v1",

        [typeof(PoolOpenedEvent)] = "pool.opened.v1",
        [typeof(PoolClosedEvent)] = "pool.closed.v1",
        [typeof(AddressAllocatedEvent)] = "pool.address-allocated.v1",
        [typeof(AddressFreedEvent)] = "pool.address-freed.v1",
        [typeof(RangeReservedEvent)] = "pool.range-reserved.v1",
        [typeof(RangeFreedEvent)] = "pool.range-freed.v1",
        [typeof(IpamAddressHeldEvent)] = "pool.ipam-held.v1",
        [typeof(IpamAddressReleasedEvent)] = "pool.ipam-released.v1",
        [typeof(PoolSnapshot)] = "pool.snapshot.v1",

        [typeof(EndpointRequestedEvent)] = "endpoint.requested.v1",
        [typeof(EndpointAddressedEvent)] = "endpoint.addressed.v1",
        [typeof(EndpointRemovingEvent)] = "endpoint.removing.v1",
        [typeof(EndpointRemovedEvent)] = "endpoint.removed.v1",
        [typeof(EndpointRefusedEvent)] = "endpoint.refused.v1",
        [typeof(EndpointRegisteredEvent)] = "tenant.endpoint-registered.v1",
        [typeof(EndpointRecordedEvent)] = "tenant.endpoint-recorded.v1",
        [typeof(EndpointUnregisteredEvent)] = "tenant.endpoint-unregistered.v1",

        // Messages between nodes (IContivWire).
        [typeof(Api.ApiError)] = "wire.api-error.v1",
        [typeof(CreateEndpoint)] = "wire.create-endpoint.v1",
        [typeof(EndpointReady)] = "wire.endpoint-ready.v1",
        [typeof(RemoveEndpoint)] = "wire.remove-endpoint.v1",
        [typeof(EndpointRemoved)] = "wire.endpoint-removed.v1",
        [typeof(GetEndpoint)] = "wire.get-endpoint.v1",
        [typeof(RegisterEndpoint)] = "wire.register-endpoint.v1",
        [typeof(EndpointRegistered)] = "wire.endpoint-registered.v1",
        [typeof(RecordEndpoint)] = "wire.record-endpoint.v1",
        [typeof(EndpointRecorded)] = "wire.endpoint-recorded.v1",
        [typeof(UnregisterEndpoint)] = "wire.unregister-endpoint.v1",
        [typeof(EndpointUnregistered)] = "wire.endpoint-unregistered.v1",
        [typeof(SourceChanged)] = "wire.source-changed.v1",
        [typeof(SourceDump)] = "wire.source-dump.v1",
        [typeof(DumpSource)] = "wire.dump-source.v1",
        [typeof(SubscribeFeed)] = "wire.subscribe-feed.v1",
        [typeof(FeedSnapshot)] = "wire.feed-snapshot.v1",
        [typeof(FeedDelta)] = "wire.feed-delta.v1",
        [typeof(FeedVersion)] = "wire.feed-version.v1",
        [typeof(HostRealized)] = "wire.host-realized.v1",
        [typeof(RealizationChanged)] = "wire.realization-changed.v1",
        [typeof(GetRealization)] = "wire.get-realization.v1",
        [typeof(Realization)] = "wire.realization.v1",
        [typeof(GetFeedHosts)] = "wire.get-feed-hosts.v1",
        [typeof(FeedHosts)] = "wire.feed-hosts.v1",
        [typeof(Reads.TenantChanged)] = "wire.tenant-changed.v1",
        [typeof(Reads.TenantDump)] = "wire.tenant-dump.v1",
        [typeof(Reads.DumpTenant)] = "wire.dump-tenant.v1",
        [typeof(Reads.GlobalChanged)] = "wire.global-changed.v1",
        [typeof(Reads.GlobalDump)] = "wire.global-dump.v1",
        [typeof(Reads.DumpGlobal)] = "wire.dump-global.v1",
        [typeof(Reads.ReadVersion)] = "wire.read-version.v1",
        [typeof(ObjectSaved)] = "wire.object-saved.v1",
        [typeof(ObjectDeleted)] = "wire.object-deleted.v1",

        // Between masters: REST requests routed to the entity's master, and the entities' own asks.
        [typeof(ShardEnvelope)] = "wire.shard-envelope.v1",
        [typeof(SaveObject)] = "wire.save-object.v1",
        [typeof(DeleteObject)] = "wire.delete-object.v1",
        [typeof(GetObject)] = "wire.get-object.v1",
        [typeof(InspectObject)] = "wire.inspect-object.v1",
        [typeof(ListObjects)] = "wire.list-objects.v1",
        [typeof(ApiOk)] = "wire.api-ok.v1",
        [typeof(ApiItems)] = "wire.api-items.v1",
        [typeof(AllocateNetworkTags)] = "wire.allocate-network-tags.v1",
        [typeof(NetworkTagsGranted)] = "wire.network-tags-granted.v1",
        [typeof(ReleaseNetworkTags)] = "wire.release-network-tags.v1",
        [typeof(NetworkTagsReleased)] = "wire.network-tags-released.v1",
        [typeof(ListTagOwners)] = "wire.list-tag-owners.v1",
        [typeof(TagOwners)] = "wire.tag-owners.v1",
        [typeof(RegisterTenant)] = "wire.register-tenant.v1",
        [typeof(TenantRegistered)] = "wire.tenant-registered.v1",
        [typeof(UnregisterTenant)] = "wire.unregister-tenant.v1",
        [typeof(ListTenantNames)] = "wire.list-tenant-names.v1",
        [typeof(TenantNames)] = "wire.tenant-names.v1",
        [typeof(OpenPool)] = "wire.open-pool.v1",
        [typeof(PoolReady)] = "wire.pool-ready.v1",
        [typeof(ClosePool)] = "wire.close-pool.v1",
        [typeof(PoolClosed)] = "wire.pool-closed.v1",
        [typeof(AllocateAddress)] = "wire.allocate-address.v1",
        [typeof(AddressGranted)] = "wire.address-granted.v1",
        [typeof(ReleaseAddress)] = "wire.release-address.v1",
        [typeof(HoldIpamAddress)] = "wire.hold-ipam-address.v1",
        [typeof(ReleaseIpamAddress)] = "wire.release-ipam-address.v1",
        [typeof(ReleaseIpamOrphans)] = "wire.release-ipam-orphans.v1",
        [typeof(IpamOrphansReleased)] = "wire.ipam-orphans-released.v1",
        [typeof(AddressReleased)] = "wire.address-released.v1",
        [typeof(ReserveRange)] = "wire.reserve-range.v1",
        [typeof(RangeReserved)] = "wire.range-reserved.v1",
        [typeof(ReleaseRange)] = "wire.release-range.v1",
        [typeof(RangeReleased)] = "wire.range-released.v1",
        [typeof(InspectPool)] = "wire.inspect-pool.v1",
        [typeof(PoolUsage)] = "wire.pool-usage.v1",
        [typeof(ReconcilePool)] = "wire.reconcile-pool.v1",
        [typeof(PoolReconciled)] = "wire.pool-reconciled.v1",

        // The access entity: users, authorizations, sessions (issue #15).
        [typeof(UserSavedEvent)] = "access.user-saved.v1",
        [typeof(UserDeletedEvent)] = "access.user-deleted.v1",
        [typeof(AuthorizationAddedEvent)] = "access.authorization-added.v1",
        [typeof(AuthorizationRemovedEvent)] = "access.authorization-removed.v1",
        [typeof(SessionOpenedEvent)] = "access.session-opened.v1",
        [typeof(SessionClosedEvent)] = "access.session-closed.v1",
        [typeof(SessionsExpiredEvent)] = "access.sessions-expired.v1",
        [typeof(AccessSnapshot)] = "access.snapshot.v1",
        [typeof(SaveUser)] = "wire.save-user.v1",
        [typeof(DeleteUser)] = "wire.delete-user.v1",
        [typeof(GetUser)] = "wire.get-user.v1",
        [typeof(ListUsers)] = "wire.list-users.v1",
        [typeof(EnsureFirstAdmin)] = "wire.ensure-first-admin.v1",
        [typeof(AddAuthorization)] = "wire.add-authorization.v1",
        [typeof(RemoveAuthorization)] = "wire.remove-authorization.v1",
        [typeof(ListAuthorizations)] = "wire.list-authorizations.v1",
        [typeof(GetAuthorization)] = "wire.get-authorization.v1",
        [typeof(OpenSession)] = "wire.open-session.v1",
        [typeof(CloseSession)] = "wire.close-session.v1",
        [typeof(Authenticate)] = "wire.authenticate.v1",
        [typeof(Principal)] = "wire.principal.v1",
        [typeof(UserAnswer)] = "wire.user-answer.v1",
        [typeof(UsersAnswer)] = "wire.users-answer.v1",
        [typeof(UserRemoved)] = "wire.user-removed.v1",
        [typeof(FirstAdmin)] = "wire.first-admin.v1",
        [typeof(AuthorizationAnswer)] = "wire.authorization-answer.v1",
        [typeof(AuthorizationsAnswer)] = "wire.authorizations-answer.v1",
        [typeof(AuthorizationRemoved)] = "wire.authorization-removed.v1",
        [typeof(SessionOpened)] = "wire.session-opened.v1",
        [typeof(SessionClosed)] = "wire.session-closed.v1",
        [typeof(AccessChanged)] = "wire.access-changed.v1",
    };

    private static readonly Dictionary<string, Type> TypesByManifest = Manifests.ToDictionary(m => m.Value, m => m.Key);

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType().FullName} has no manifest in ContivSerializer");

    public override byte[] ToBinary(object obj)
    {
        Manifest(obj);
        return obj switch
        {
            ShardEnvelope envelope => JsonSerializer.SerializeToUtf8Bytes(Wrap(envelope), Json),
            Reads.TenantChanged changed => JsonSerializer.SerializeToUtf8Bytes(new TenantChangedWire(changed.Tenant, changed.Incarnation, changed.Seq,
                Events(changed.Events)), Json),
            Reads.GlobalChanged changed => JsonSerializer.SerializeToUtf8Bytes(new GlobalChangedWire(changed.Incarnation, changed.Seq, Events(changed.Events)), Json),
            SaveObject save => JsonSerializer.SerializeToUtf8Bytes(
                new SaveObjectWire(save.Kind, JsonSerializer.SerializeToElement(save.Config, save.Config.GetType(), Json)), Json),
            _ => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json),
        };
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypesByManifest.TryGetValue(manifest, out var type)) throw new SerializationException($"unknown manifest {manifest}");
        if (type == typeof(ShardEnvelope)) return Unwrap(Read<EnvelopeWire>(bytes, manifest));
        if (type == typeof(Reads.TenantChanged))
        {
            var wire = Read<TenantChangedWire>(bytes, manifest);
            return new Reads.TenantChanged(wire.Tenant, wire.Incarnation, wire.Seq, Events<ITenantEvent>(wire.Events, manifest));
        }
        if (type == typeof(Reads.GlobalChanged))
        {
            var wire = Read<GlobalChangedWire>(bytes, manifest);
            return new Reads.GlobalChanged(wire.Incarnation, wire.Seq, Events<IGlobalEvent>(wire.Events, manifest));
        }
        if (type == typeof(SaveObject))
        {
            var wire = Read<SaveObjectWire>(bytes, manifest);
            return new SaveObject((IConfigObject)(wire.Config.Deserialize(wire.Kind.ConfigType(), Json)
                                                  ?? throw new SerializationException($"empty config in {manifest}")));
        }
        return JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"empty payload for {manifest}");
    }

    private static T Read<T>(byte[] bytes, string manifest) =>
        JsonSerializer.Deserialize<T>(bytes, Json) ?? throw new SerializationException($"empty payload for {manifest}");

    /// <summary>The inner message goes with the serializer it is bound to, so an envelope can carry any message a region takes.</summary>
    private EnvelopeWire Wrap(ShardEnvelope envelope)
    {
        var serializer = system.Serialization.FindSerializerFor(envelope.Message);
        return new EnvelopeWire(envelope.EntityId, serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, envelope.Message), serializer.ToBinary(envelope.Message));
    }

    private ShardEnvelope Unwrap(EnvelopeWire wire) =>
        new(wire.EntityId, system.Serialization.Deserialize(wire.Payload, wire.SerializerId, wire.Manifest));

    private sealed record EnvelopeWire(string EntityId, int SerializerId, string Manifest, byte[] Payload);

    private sealed record SaveObjectWire(ObjectKind Kind, JsonElement Config);

    /// <summary>Events are polymorphic: each goes under its persisted manifest.</summary>
    private System.Collections.Immutable.ImmutableArray<EventWire> Events<TEvent>(System.Collections.Immutable.ImmutableArray<TEvent> events) where TEvent : notnull =>
        [.. events.Select(e => new EventWire(Manifest(e), JsonSerializer.SerializeToElement(e, e.GetType(), Json)))];

    private static System.Collections.Immutable.ImmutableArray<TEvent> Events<TEvent>(System.Collections.Immutable.ImmutableArray<EventWire> events, string manifest) =>
        [.. events.Select(e => TypesByManifest.TryGetValue(e.Manifest, out var eventType) && typeof(TEvent).IsAssignableFrom(eventType)
            ? (TEvent)(e.Payload.Deserialize(eventType, Json) ?? throw new SerializationException($"empty {e.Manifest} in {manifest}"))
            : throw new SerializationException($"unknown event manifest {e.Manifest} in {manifest}"))];

    private sealed record TenantChangedWire(string Tenant, Guid Incarnation, long Seq, System.Collections.Immutable.ImmutableArray<EventWire> Events);

    private sealed record GlobalChangedWire(Guid Incarnation, long Seq, System.Collections.Immutable.ImmutableArray<EventWire> Events);

    private sealed record EventWire(string Manifest, JsonElement Payload);
}
