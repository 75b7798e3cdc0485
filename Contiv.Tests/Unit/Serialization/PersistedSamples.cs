using System.Collections.Immutable;
using Contiv.Messages.Access;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Sharding;
using Contiv.Messages.Tenancy;

namespace Contiv.Tests.Unit.Serialization;

/// <summary>One instance of every persisted or wire type with every stored field set to a non-default value.</summary>
public static class PersistedSamples
{
    public static readonly TenantConfig Tenant = new() { TenantName = "t1", DefaultNetwork = "net1" };

    public static readonly NetworkConfig Network = new()
    {
        TenantName = "t1", NetworkName = "net1", NwType = "data", Encap = "vxlan", PktTag = 5001,
        Subnet = "10.1.0.0/16", Gateway = "10.1.0.1", Ipv6Subnet = "2016:617::/120", Ipv6Gateway = "2016:617::1",
        CfgdTag = "nettag",
    };

    public static readonly EndpointGroupConfig Group = new()
    {
        TenantName = "t1", GroupName = "web", NetworkName = "net1", IpPool = "10.1.2.1-10.1.2.9",
        Policies = ["p1", "p2"], ExtContractsGrps = ["c1"], NetProfile = "gold", CfgdTag = "webtag",
    };

    public static readonly PolicyConfig Policy = new() { TenantName = "t1", PolicyName = "p1" };

    public static readonly RuleConfig Rule = new()
    {
        TenantName = "t1", PolicyName = "p1", RuleId = "r1", Direction = "in", Priority = 3,
        FromEndpointGroup = "db", ToEndpointGroup = "web", FromNetwork = "net2", ToNetwork = "net1",
        FromIpAddress = "10.2.0.0/16", ToIpAddress = "10.1.0.5", Protocol = "tcp", Port = 8080, Action = "allow",
    };

    public static readonly GlobalConfig Global = new()
    {
        Name = "global", NetworkInfraType = "aci", Vlans = "100-200", Vxlans = "1-5000", FwdMode = "routing",
        ArpMode = "flood", PvtSubnet = "172.20.0.0/16",
    };

    public static readonly NetProfileConfig NetProfile = new() { TenantName = "t1", ProfileName = "gold", Bandwidth = "10Mbps", Dscp = 12, Burst = 3000 };

    public static readonly AppProfileConfig AppProfile = new() { TenantName = "t1", AppProfileName = "app", EndpointGroups = ["web", "db"] };

    public static readonly ExtContractsGroupConfig Contracts = new()
    {
        TenantName = "t1", ContractsGroupName = "c1", ContractsType = "provided", Contracts = ["uni/tn-t1/brc-a", "uni/tn-t1/brc-b"],
    };

    public static readonly ServiceLbConfig ServiceLb = new()
    {
        TenantName = "t1", ServiceName = "svc1", NetworkName = "net1", IpAddress = "10.1.0.50",
        Selectors = ["app=web", "tier=front"], Ports = ["80:8080:TCP", "53:53:UDP"],
    };

    public static readonly BgpConfig Bgp = new() { Hostname = "host1", RouterIp = "50.1.1.1/24", As = "65002", NeighborAs = "500", Neighbor = "50.1.1.2" };

    public static readonly NetworkTags VxlanTags = new("vxlan", 3, 5001);

    public static readonly NetworkTags VlanTags = new("vlan", 100, 7);

    public static readonly EndpointSpec Spec = new("t1", "net1", "web", "c0ffee", "host1", "web-1", "app=web", "10.1.0.9", AddressFromIpam: true);

    public static readonly EndpointInfo Endpoint = new("ep1", Spec, "10.1.0.9", 16, "02:02:0a:01:00:09", "10.1.0.1");

    public static readonly HostView Host = new("host1", "192.0.2.1", "eth1", "akka.tcp://contiv@127.0.0.1:4000");

    public static readonly ImmutableArray<FeedView> Views =
    [
        new SettingsView("bridge", "proxy"), Host, new NetworkView(Network, VxlanTags, 2), new GroupView(Group),
        new PolicyView("t1", "p1"), new RuleView(Rule), new EndpointView(Endpoint),
    ];

    /// <summary>Upserts only: a removal's view is null, which the populated check refuses; a test of its own covers it.</summary>
    public static readonly ImmutableArray<FeedChange> Changes = [.. Views.Select(FeedChange.Upsert)];

    public static readonly GlobalSnapshot GlobalSnapshotSample = new(Global, true,
        [new NetworkTagsHolding("t1:net1", VxlanTags), new NetworkTagsHolding("t1:net2", VlanTags)],
        ["default", "t1"], [Bgp, Bgp with { Hostname = "host2" }], [1, 2], 5);

    public static readonly TenantSnapshot Snapshot = new TenantSnapshot(true, Tenant,
        [new NetworkSnapshot(Network, VxlanTags), new NetworkSnapshot(Network with { NetworkName = "net2", Encap = "vlan" }, VlanTags)],
        [Group], [Policy], [Rule], [NetProfile], [AppProfile], [Contracts],
        [new ServiceLbSnapshot(ServiceLb, "10.1.0.50")], ["net1", "net2"], [new GroupAppProfileLink("web", "app")], 2,
        [new EndpointSnapshot("ep1", Spec, Endpoint), new EndpointSnapshot("ep2", Spec with { ContainerId = "beef" }, Endpoint with { Id = "ep2" })]);

    public static readonly LocalUser User = new("alice", "ops", true, "pbkdf2-sha256$100000$c2FsdA==$aGFzaA==", "Alice", "Ops");

    public static readonly TenantAuthorization Authorization = new("ab5e86bb3666408dab6d24a441f87acf", "alice", "ops", "t1");

    public static readonly Session SessionSample = new("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "alice",
        DateTimeOffset.Parse("2026-12-03T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public static readonly IReadOnlyList<object> All =
    [
        new UserSavedEvent(User),
        new UserDeletedEvent("alice"),
        new AuthorizationAddedEvent(Authorization),
        new AuthorizationRemovedEvent(Authorization.Id),
        new SessionOpenedEvent(SessionSample),
        new SessionClosedEvent(SessionSample.TokenHash),
        new SessionsExpiredEvent([SessionSample.TokenHash, "00aa"]),
        new AccessSnapshot([User, User with { Username = "admin", Role = "admin" }], [Authorization], [SessionSample]),
        new SaveUser(User, true),
        new DeleteUser("alice"),
        new GetUser("alice"),
        new ListUsers(),
        new EnsureFirstAdmin(User),
        new AddAuthorization(Authorization),
        new RemoveAuthorization(Authorization.Id),
        new ListAuthorizations(),
        new GetAuthorization(Authorization.Id),
        new OpenSession(SessionSample, SessionSample.ExpiresAt.AddHours(-12)),
        new CloseSession(SessionSample.TokenHash),
        new Authenticate(SessionSample.TokenHash, SessionSample.ExpiresAt.AddHours(-1)),
        new Principal("alice", "ops", ["t1", "t2"], SessionSample.ExpiresAt),
        new UserAnswer(User),
        new UsersAnswer([User]),
        new UserRemoved("alice"),
        new FirstAdmin(true),
        new AuthorizationAnswer(Authorization),
        new AuthorizationsAnswer([Authorization]),
        new AuthorizationRemoved(Authorization.Id),
        new SessionOpened(SessionSample.ExpiresAt),
        new SessionClosed(),
        new AccessChanged(),

        new GlobalConfigSavedEvent(Global),
        new NetworkTagsTakenEvent("t1:net1", VxlanTags),
        new NetworkTagsFreedEvent("t1:net1"),
        new TenantRegisteredEvent("t1", 2),
        new TenantUnregisteredEvent("t1"),
        new BgpSavedEvent(Bgp),
        new BgpDeletedEvent("host1"),
        GlobalSnapshotSample,

        new TenantCreatedEvent(Tenant, 2),
        new TenantDeletedEvent("t1"),
        new NetworkCreatedEvent(Network, VxlanTags),
        new NetworkDeletedEvent("net1"),
        new EndpointGroupSavedEvent(Group),
        new EndpointGroupDeletedEvent("web"),
        new PolicySavedEvent(Policy),
        new PolicyDeletedEvent("p1"),
        new RuleAddedEvent(Rule),
        new RuleDeletedEvent("p1", "r1"),
        new NetProfileSavedEvent(NetProfile),
        new NetProfileDeletedEvent("gold"),
        new AppProfileSavedEvent(AppProfile),
        new AppProfileDeletedEvent("app"),
        new ExtContractsGroupSavedEvent(Contracts),
        new ExtContractsGroupDeletedEvent("c1"),
        new ServiceLbSavedEvent(ServiceLb, "10.1.0.50"),
        new ServiceLbDeletedEvent("svc1"),
        new PoolWorkStartedEvent("net1"),
        new PoolWorkEndedEvent("net1"),
        new TenantNumberedEvent(7),
        Snapshot,
        new EndpointRegisteredEvent("ep1", Spec),
        new EndpointRecordedEvent(Endpoint),
        new EndpointUnregisteredEvent("ep1"),

        new EndpointRequestedEvent("ep1", Spec),
        new EndpointAddressedEvent(Endpoint),
        new EndpointRemovingEvent("ep1"),
        new EndpointRemovedEvent("ep1"),
        new EndpointRefusedEvent("ep1", "network t1:net1 not found"),

        ApiError.Conflict("in use"),
        new CreateEndpoint("ep1", Spec),
        new EndpointReady(Endpoint),
        new RemoveEndpoint("ep1"),
        new EndpointRemoved("ep1", "10.1.0.9"),
        new GetEndpoint("ep1"),
        new RegisterEndpoint("ep1", Spec),
        new EndpointRegistered("ep1", "epg:web"),
        new RecordEndpoint(Endpoint),
        new EndpointRecorded("ep1"),
        new UnregisterEndpoint("ep1"),
        new EndpointUnregistered("ep1"),
        new SourceChanged("tenant/t1", Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 7, Changes),
        new SourceDump("tenant/t1", Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 7, Views),
        new DumpSource("tenant/t1"),
        new Contiv.Messages.Reads.TenantChanged("t1", Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 8,
            [new NetworkCreatedEvent(Network, VxlanTags), new RuleAddedEvent(Rule), new EndpointRecordedEvent(Endpoint)]),
        new Contiv.Messages.Reads.TenantDump("t1", Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 8, Snapshot, "akka.tcp://contiv@127.0.0.1:4000"),
        new Contiv.Messages.Reads.DumpTenant(),
        new Contiv.Messages.Reads.GlobalChanged(Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 3,
            [new GlobalConfigSavedEvent(Global), new NetworkTagsTakenEvent("t1:net1", VxlanTags), new BgpSavedEvent(Bgp)]),
        new Contiv.Messages.Reads.GlobalDump(Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 3, GlobalSnapshotSample),
        new Contiv.Messages.Reads.DumpGlobal(),
        new Contiv.Messages.Reads.ReadVersion("t1", Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 8),
        new ObjectSaved(ObjectKind.Network, "t1:net1", new Contiv.Messages.Reads.ReadVersion("t1", Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 8)),
        new ObjectDeleted("t1:net1", new Contiv.Messages.Reads.ReadVersion("t1", Guid.Parse("6f1c2a52-3f42-4b8e-9d0a-0b8f1d2c3e4f"), 9)),
        new SubscribeFeed(Host, Guid.Parse("0d6b3c1e-1111-4222-8333-944455566677"), 42),
        new FeedSnapshot(Guid.Parse("0d6b3c1e-1111-4222-8333-944455566677"), 42, Views, 1, 3),
        new FeedDelta(Guid.Parse("0d6b3c1e-1111-4222-8333-944455566677"), 43, Changes),
        new FeedVersion(Guid.Parse("0d6b3c1e-1111-4222-8333-944455566677"), 43),
        new HostRealized("host1", Guid.Parse("0d6b3c1e-1111-4222-8333-944455566677"), 43),
        new RealizationChanged("host1", 43),
        new GetRealization(new FeedKey(FeedKind.Policy, "t1:p1"), [new FeedKey(FeedKind.Group, "t1:web")]),
        new GetFeedHosts(),
        new FeedHosts([Host], ImmutableSortedDictionary<string, long>.Empty.Add("host1", 43)),
        new Realization(new FeedKey(FeedKind.Policy, "t1:p1"),
            ImmutableSortedDictionary<string, string>.Empty.Add("host1", "realized").Add("host2", "pending")),

        new ShardEnvelope("t1", new SaveObject(Network)),
        new SaveObject(Rule),
        new DeleteObject(ObjectKind.Network, "t1:net1"),
        new GetObject(ObjectKind.Rule, "t1:p1:r1"),
        new InspectObject(ObjectKind.EndpointGroup, "t1:web"),
        new ListObjects(ObjectKind.Policy, ["t1", "t2"]),
        new ApiOk("{\"tenantName\":\"t1\"}"),
        new ApiItems(["{\"tenantName\":\"t1\"}", "{\"tenantName\":\"t2\"}"]),
        new AllocateNetworkTags("t1:net1", "vxlan", 5001),
        new NetworkTagsGranted("t1:net1", VxlanTags),
        new ReleaseNetworkTags("t1:net1"),
        new NetworkTagsReleased("t1:net1"),
        new ListTagOwners("t1:"),
        new TagOwners(["t1:net1", "t1:net2"]),
        new RegisterTenant("t1"),
        new TenantRegistered("t1", 2),
        new UnregisterTenant("t1"),
        new ListTenantNames(),
        new TenantNames(["default", "t1"]),
        new OpenPool("10.1.0.0/16", "10.1.0.1"),
        new PoolReady("10.1.0.0/16"),
        new ClosePool(),
        new PoolClosed(),
        new AllocateAddress("ep:abc", "10.1.0.9", "epg:web", FromIpam: true),
        new AddressGranted("ep:abc", "10.1.0.9", "02:02:0a:01:00:09", 16, "10.1.0.1"),
        new ReleaseAddress("ep:abc"),
        new HoldIpamAddress("docker-local@h1", "10.1.0.9", Gateway: true, RangeOwner: "epg:web"),
        new ReleaseIpamAddress("docker-global", "10.1.0.9"),
        new ReleaseIpamOrphans("docker-local@h1"),
        new IpamOrphansReleased("docker-local@h1", ["10.1.0.7", "10.1.0.8"]),
        new AddressReleased("ep:abc", "10.1.0.9"),
        new ReserveRange("epg:web", "10.1.2.1-10.1.2.9"),
        new RangeReserved("epg:web", "10.1.2.1-10.1.2.9"),
        new ReleaseRange("epg:web"),
        new RangeReleased("epg:web"),
        new InspectPool("epg:web"),
        new PoolUsage("10.1.0.1-10.1.0.9", "10.1.0.10-10.1.255.254", 9, 8),
        new ReconcilePool("10.1.0.0/16", "10.1.0.1", ["ep:abc", "svc:svc1"],
            [new PoolHolding("svc:svc1", "10.1.0.50")], [new PoolRange("epg:web", "10.1.2.1", "10.1.2.9")]),
        new PoolReconciled(2, 1, "svc:svc2"),

        new PoolOpenedEvent("10.1.0.0/16", "10.1.0.1"),
        new PoolClosedEvent(),
        new AddressAllocatedEvent("ep:abc", "10.1.0.2"),
        new AddressFreedEvent("ep:abc", "10.1.0.2"),
        new RangeReservedEvent("epg:web", "10.1.2.1", "10.1.2.9"),
        new RangeFreedEvent("epg:web"),
        new IpamAddressHeldEvent("docker-global", "10.1.0.3"),
        new IpamAddressReleasedEvent("docker-local@h1", "10.1.0.3"),
        new PoolSnapshot("10.1.0.0/16", "10.1.0.1",
            [new PoolHolding("ep:abc", "10.1.0.2"), new PoolHolding("svc:svc1", "10.1.0.50")],
            [new PoolRange("epg:web", "10.1.2.1", "10.1.2.9")],
            [new PoolHolding("docker-global", "10.1.0.2"), new PoolHolding("docker-local@h1", "10.1.0.2")]),
    ];

    public static object For(Type type) =>
        All.SingleOrDefault(s => s.GetType() == type)
        ?? throw new InvalidOperationException($"PersistedSamples has no sample of {type.Name}: add one");
}
