using Akka.Actor;
using Contiv.Master.Entities;
using Contiv.Master.Entities.Global;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Sharding;
using Contiv.Master.Views;
using Contiv.Messages.Reads;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using Contiv.Messages.Validation;
using Xunit;
using Xunit.Abstractions;
using Contiv.Messages.Sharding;

namespace Contiv.Tests.Entities;

/// <summary>
/// A master that died in the middle of a tenant saga converges when the tenant starts again: the real
/// tenant, global and pool entities on a real SQLite journal, behind test regions instead of cluster
/// sharding. Each crash is simulated by writing the half-done state directly, then starting the tenant.
/// </summary>
public sealed class TenantReconciliationTests : Akka.TestKit.Xunit2.TestKit
{
    private const string Tenant = "default";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly EntitySettings Settings = new(TimeSpan.FromSeconds(5), 1000, "bridge", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));

    private readonly SqliteTestDatabase _database;
    private readonly IActorRef _global;
    private readonly IActorRef _pools;
    private readonly IActorRef _tenants;

    public TenantReconciliationTests(ITestOutputHelper output) : this(new SqliteTestDatabase("reconcile.db"), output) { }

    private TenantReconciliationTests(SqliteTestDatabase database, ITestOutputHelper output)
        : base(database.Config, "tenant-reconciliation-tests", output)
    {
        _database = database;
        _global = Sys.ActorOf(TestRegion.Props(_ => GlobalEntity.Props(Settings, ActorRefs.Nobody, ActorRefs.Nobody)), "global");
        _pools = Sys.ActorOf(TestRegion.Props(id => IpPoolEntity.Props(id, Settings)), "pools");
        var global = _global;
        var pools = _pools;
        _tenants = Sys.ActorOf(TestRegion.Props(name => TenantEntity.Props(name, Settings, global, pools, ActorRefs.Nobody, ActorRefs.Nobody, servedBy: "test")), "tenants");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _database.Dispose();
    }

    // ---- 1 ------------------------------------------------------------------------------------

    [Fact]
    public async Task Tags_and_pool_of_a_network_the_tenant_never_recorded_are_given_back()
    {
        // The master died after global granted the tags and the pool opened, before NetworkCreatedEvent.
        var leaked = await Ask<NetworkTagsGranted>(_global, EntityIds.Global, new AllocateNetworkTags("default:ghost", "vxlan", 0));
        await Ask<PoolReady>(_pools, "default:ghost", new OpenPool("10.9.0.0/24", "10.9.0.1"));
        Assert.Contains("default:ghost", (await Ask<TagOwners>(_global, EntityIds.Global, new ListTagOwners("default:"))).Owners);

        // Any request starts the tenant; it is answered after reconciliation.
        await ViewOf(ObjectKind.Tenant, Tenant);

        await AwaitAssertAsync(async () =>
        {
            var owners = await Ask<TagOwners>(_global, EntityIds.Global, new ListTagOwners("default:"));
            Assert.DoesNotContain("default:ghost", owners.Owners);
            var inspect = await Ask<ApiError>(_pools, "default:ghost", new InspectPool());
            Assert.Equal(ApiErrorKind.NotFound, inspect.Kind);
        }, Timeout);

        // The name is free again: the network can be created and takes tags and a pool of its own.
        var ghost = Network("ghost", "vxlan", "10.8.0.0/24", "10.8.0.1");
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(ghost));
        Assert.Contains("default:ghost", (await Ask<TagOwners>(_global, EntityIds.Global, new ListTagOwners("default:"))).Owners);
        var again = await Ask<NetworkTagsGranted>(_global, EntityIds.Global, new AllocateNetworkTags("default:ghost", "vxlan", 0));
        Assert.Equal("vxlan", again.Tags.Encap);
        // The leaked VNI was really freed: the lowest one is handed out again.
        Assert.Equal(leaked.Tags.ExternalPktTag, again.Tags.ExternalPktTag);
        var usage = await Ask<PoolUsage>(_pools, "default:ghost", new InspectPool());
        Assert.Equal("10.8.0.1", usage.AllocatedAddresses);
        var view = await ViewOf(ObjectKind.Network, "ghost");
        Assert.Contains("\"10.8.0.0/24\"", view);
    }

    // ---- 2 ------------------------------------------------------------------------------------

    [Fact]
    public async Task A_service_vip_allocated_before_the_crash_is_released()
    {
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(Network("n1", "vlan", "10.1.0.0/24", "10.1.0.1")));

        // The master died in a service create: PoolWorkStartedEvent written, the VIP allocated, nothing more.
        await StopTenant();
        await WriteTenantEvents(new PoolWorkStartedEvent("n1"));
        var orphan = await Ask<AddressGranted>(_pools, "default:n1", new AllocateAddress("svc:orphan"));
        Assert.Equal("10.1.0.2", orphan.Address);

        // The restarted tenant re-syncs the pool before it answers anything.
        await ViewOf(ObjectKind.Network, "n1");
        await AwaitAssertAsync(async () =>
            Assert.Equal("10.1.0.1", (await Ask<PoolUsage>(_pools, "default:n1", new InspectPool())).AllocatedAddresses), Timeout);

        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(ModelDefaults.Normalize(new ServiceLbConfig
        {
            TenantName = Tenant,
            ServiceName = "web",
            NetworkName = "n1",
            Selectors = ["app=web"],
            Ports = ["80:8080:TCP"],
        })));
        Assert.Equal("10.1.0.2", await ServiceVip("web"));
        Assert.Equal("10.1.0.1-10.1.0.2", (await Ask<PoolUsage>(_pools, "default:n1", new InspectPool())).AllocatedAddresses);

        // The pending mark was cleared: a further restart does not touch the pool again.
        await StopTenant();
        await ViewOf(ObjectKind.ServiceLb, "web");
        Assert.Equal("10.1.0.2", (await Ask<AddressGranted>(_pools, "default:n1", new AllocateAddress("svc:web"))).Address);
    }

    // ---- 3 ------------------------------------------------------------------------------------

    [Fact]
    public async Task A_network_delete_that_died_after_closing_the_pool_leaves_the_network_whole()
    {
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(Network("n2", "vlan", "10.2.0.0/24", "10.2.0.1")));

        // The master died in a network delete: PoolWorkStartedEvent written, the pool closed, the network not yet deleted.
        await StopTenant();
        await WriteTenantEvents(new PoolWorkStartedEvent("n2"));
        await Ask<PoolClosed>(_pools, "default:n2", new ClosePool());
        Assert.Equal(ApiErrorKind.NotFound, (await Ask<ApiError>(_pools, "default:n2", new InspectPool())).Kind);

        await ViewOf(ObjectKind.Tenant, Tenant);
        await AwaitAssertAsync(async () =>
            Assert.Equal("10.2.0.1", (await Ask<PoolUsage>(_pools, "default:n2", new InspectPool())).AllocatedAddresses), Timeout);
        var view = await ViewOf(ObjectKind.Network, "n2");
        Assert.Contains("\"10.2.0.0/24\"", view);
        Assert.Contains("default:n2", (await Ask<TagOwners>(_global, EntityIds.Global, new ListTagOwners("default:"))).Owners);

        // And the network is usable: a service gets the first address after the gateway.
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(ModelDefaults.Normalize(new ServiceLbConfig
        {
            TenantName = Tenant,
            ServiceName = "db",
            NetworkName = "n2",
            Selectors = ["app=db"],
        })));
        Assert.Equal("10.2.0.2", await ServiceVip("db"));
    }

    // ---- 4 ------------------------------------------------------------------------------------

    [Fact]
    public async Task A_service_delete_that_died_after_releasing_the_vip_gives_the_vip_back_to_the_service()
    {
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(Network("n4", "vlan", "10.4.0.0/24", "10.4.0.1")));
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(Service("web", "n4")));
        Assert.Equal("10.4.0.2", await ServiceVip("web"));

        // The master died in the service delete: PoolWorkStartedEvent written, the VIP released, the service not yet deleted.
        await StopTenant();
        await WriteTenantEvents(new PoolWorkStartedEvent("n4"));
        await Ask<AddressReleased>(_pools, "default:n4", new ReleaseAddress("svc:web"));

        // The tenant still has the service with its VIP: the pool must hold it for the service again.
        Assert.Equal("10.4.0.2", await ServiceVip("web"));
        await AwaitAssertAsync(async () =>
            Assert.Equal("10.4.0.1-10.4.0.2", (await Ask<PoolUsage>(_pools, "default:n4", new InspectPool())).AllocatedAddresses), Timeout);

        // So a new service does not get the VIP the first one still has.
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(Service("api", "n4")));
        Assert.Equal("10.4.0.3", await ServiceVip("api"));
    }

    // ---- 5 ------------------------------------------------------------------------------------

    [Fact]
    public async Task A_group_delete_that_died_after_releasing_the_range_gives_the_range_back_to_the_group()
    {
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(Network("n5", "vlan", "10.5.0.0/24", "10.5.0.1")));
        await Ask<ObjectSaved>(_tenants, Tenant, new SaveObject(ModelDefaults.Normalize(new EndpointGroupConfig
        {
            TenantName = Tenant,
            GroupName = "web",
            NetworkName = "n5",
            IpPool = "10.5.0.100-10.5.0.110",
        })));

        // The master died in the group delete: PoolWorkStartedEvent written, the range released, the group not yet deleted.
        await StopTenant();
        await WriteTenantEvents(new PoolWorkStartedEvent("n5"));
        await Ask<RangeReleased>(_pools, "default:n5", new ReleaseRange("epg:web"));

        await ViewOf(ObjectKind.EndpointGroup, "web");
        // The group still exists, so its endpoints must still get addresses from its ipPool.
        await AwaitAssertAsync(async () =>
            Assert.Equal("10.5.0.100", (await Ask<AddressGranted>(_pools, "default:n5",
                new AllocateAddress("ep:1", RangeOwner: "epg:web"))).Address), Timeout);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static ServiceLbConfig Service(string name, string network) =>
        ModelDefaults.Normalize(new ServiceLbConfig
        {
            TenantName = Tenant,
            ServiceName = name,
            NetworkName = network,
            Selectors = [$"app={name}"],
        });

    private static NetworkConfig Network(string name, string encap, string subnet, string gateway) =>
        ModelDefaults.Normalize(new NetworkConfig
        {
            TenantName = Tenant,
            NetworkName = name,
            Encap = encap,
            Subnet = subnet,
            Gateway = gateway,
        });

    private static async Task<T> Ask<T>(IActorRef region, string entityId, object message)
    {
        var reply = await region.Ask<object>(new ShardEnvelope(entityId, message), Timeout);
        return reply is T expected ? expected : throw new Xunit.Sdk.XunitException($"{entityId} answered {message} with {reply}");
    }

    /// <summary>The VIP the tenant recorded for a service, from its inspect view.</summary>
    private async Task<string?> ServiceVip(string service)
    {
        var inspect = TenantViews.Inspect(await TenantStateNow(), ObjectKind.ServiceLb, service, null);
        return inspect is null ? null : System.Text.Json.Nodes.JsonNode.Parse(inspect)?["Oper"]?["serviceVip"]?.GetValue<string>();
    }

    /// <summary>The tenant's state as its dump gives it; the dump waits, as every request does, for the tenant's reconciliation.</summary>
    private async Task<TenantState> TenantStateNow()
    {
        var dump = await Ask<TenantDump>(_tenants, Tenant, new DumpTenant());
        return TenantSnapshots.Restore(Tenant, dump.Snapshot);
    }

    /// <summary>The object's view as GET would answer it from the tenant's state.</summary>
    private async Task<string> ViewOf(ObjectKind kind, string name) =>
        TenantViews.View(await TenantStateNow(), kind, name) ?? throw new Xunit.Sdk.XunitException($"{kind.TypeName()} {name} not found");

    private async Task StopTenant()
    {
        var stopped = await _tenants.Ask<EntityStopped>(new StopEntity(Tenant), Timeout);
        Assert.Equal(Tenant, stopped.EntityId);
    }

    /// <summary>Appends events to the tenant's journal as the incarnation that died had; the tenant must be stopped.</summary>
    private async Task WriteTenantEvents(params ITenantEvent[] events)
    {
        var before = _database.JournalRows("tenant-" + Tenant, "tenant.pool-work-started.v1");
        var probe = CreateTestProbe();
        Sys.ActorOf(JournalWriter.Props("tenant-" + Tenant, probe.Ref, [.. events.Cast<object>()]));
        var written = await probe.ExpectMsgAsync<EventsWritten>(Timeout);
        Assert.Equal(before + events.Length, _database.JournalRows("tenant-" + Tenant, "tenant.pool-work-started.v1"));
        Assert.True(written.LastSequenceNr > events.Length, $"written at {written.LastSequenceNr}: the journal's earlier events were not recovered");
    }
}
