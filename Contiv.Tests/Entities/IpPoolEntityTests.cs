using Akka.Actor;
using Akka.Persistence;
using Contiv.Master.Entities;
using Contiv.Master.Entities.Pools;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Pools;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.Entities;

/// <summary>The pool entity on Akka.Persistence.Sql over a real SQLite file, bound with ContivSerializer.</summary>
public sealed class IpPoolEntityTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private static readonly EntitySettings Settings = new(TimeSpan.FromSeconds(10), 200, "bridge", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));

    private readonly SqliteTestDatabase _database;

    public IpPoolEntityTests(ITestOutputHelper output) : this(new SqliteTestDatabase(), output) { }

    private IpPoolEntityTests(SqliteTestDatabase database, ITestOutputHelper output) : base(database.Config, "pool-entity-tests", output)
    {
        _database = database;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _database.Dispose();
    }

    private IActorRef StartPool(string entityId, EntitySettings? settings = null) =>
        Sys.ActorOf(IpPoolEntity.Props(entityId, settings ?? Settings));

    private static async Task<T> Ask<T>(IActorRef pool, IPoolCommand command)
    {
        var reply = await pool.Ask<object>(command, AskTimeout);
        return reply is T expected ? expected : throw new Xunit.Sdk.XunitException($"{command} answered {reply}");
    }

    private async Task StopAsync(IActorRef pool)
    {
        Watch(pool);
        pool.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(pool, TimeSpan.FromSeconds(10));
        Unwatch(pool);
    }

    private static Task<AddressGranted[]> AllocateConcurrently(IActorRef pool, IEnumerable<string> owners) =>
        Task.WhenAll(owners.Select(owner => Ask<AddressGranted>(pool, new AllocateAddress(owner))));

    [Fact]
    public async Task Concurrent_allocations_are_distinct_and_survive_a_restart()
    {
        const string id = "t1:net1";
        var pool = StartPool(id);
        Assert.Equal(new PoolReady("10.1.0.0/16"), await Ask<PoolReady>(pool, new OpenPool("10.1.0.0/16", "10.1.0.1")));

        // (a) 1,000 owners at once.
        var owners = Enumerable.Range(0, 1000).Select(i => $"ep:{i}").ToList();
        var grants = await AllocateConcurrently(pool, owners);
        Assert.Equal(owners, grants.Select(g => g.Owner));
        var addresses = grants.Select(g => g.Address).ToHashSet();
        Assert.Equal(1000, addresses.Count);
        Assert.DoesNotContain("10.1.0.1", addresses);
        Assert.DoesNotContain("10.1.0.0", addresses);
        Assert.DoesNotContain("10.1.255.255", addresses);
        Assert.All(grants, g =>
        {
            Assert.Equal(16, g.PrefixLength);
            Assert.Equal("10.1.0.1", g.Gateway);
            Assert.Equal(Ipv4.MacFor(Ipv4.Parse(g.Address)), g.Mac);
        });
        // Lowest free first: together they are exactly the 1,000 lowest free addresses.
        var lowest = Enumerable.Range(0, 1000).Select(i => Ipv4.Format(Ipv4.Parse("10.1.0.2") + (uint)i)).ToHashSet();
        Assert.Equal(lowest, addresses);

        // Written to the SQLite file by ContivSerializer under its manifests.
        Assert.Equal(1000, _database.JournalRows("pool-" + id, "pool.address-allocated.v1"));
        Assert.Equal(1, _database.JournalRows("pool-" + id, "pool.opened.v1"));

        // (b) a new incarnation recovers from the journal.
        await StopAsync(pool);
        var restarted = StartPool(id);
        var next = await Ask<AddressGranted>(restarted, new AllocateAddress("ep:1000"));
        Assert.DoesNotContain(next.Address, addresses);
        Assert.Equal("10.1.3.234", next.Address);
        foreach (var old in grants.Where((_, i) => i % 97 == 0))
            Assert.Equal(old, await Ask<AddressGranted>(restarted, new AllocateAddress(old.Owner)));

        var usage = await Ask<PoolUsage>(restarted, new InspectPool());
        Assert.Equal(1002, usage.AllocatedCount); // 1,001 endpoints and the gateway
        Assert.Equal(1001, usage.EndpointCount);
    }

    [Fact]
    public async Task Exhausting_a_slash_29_is_a_conflict_naming_the_network()
    {
        const string id = "t1:small";
        var pool = StartPool(id);
        await Ask<PoolReady>(pool, new OpenPool("10.1.0.0/29", "10.1.0.1"));

        var grants = await AllocateConcurrently(pool, Enumerable.Range(0, 5).Select(i => $"ep:{i}"));
        Assert.Equal(["10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6"], grants.Select(g => g.Address).Order());

        var error = await Ask<ApiError>(pool, new AllocateAddress("ep:5"));
        Assert.Equal(ApiErrorKind.Conflict, error.Kind);
        Assert.Contains(id, error.Message);
        Assert.Contains("10.1.0.0/29", error.Message);

        // Still exhausted after a restart, and a release makes room again.
        await StopAsync(pool);
        var restarted = StartPool(id);
        Assert.Equal(ApiErrorKind.Conflict, (await Ask<ApiError>(restarted, new AllocateAddress("ep:5"))).Kind);
        Assert.Equal(new AddressReleased("ep:2", "10.1.0.4"), await Ask<AddressReleased>(restarted, new ReleaseAddress("ep:2")));
        Assert.Equal("10.1.0.4", (await Ask<AddressGranted>(restarted, new AllocateAddress("ep:5"))).Address);
    }

    [Fact]
    public async Task State_recovered_through_snapshots_is_the_same()
    {
        const string id = "t1:snap";
        var settings = Settings with { SnapshotEvery = 10 };
        var pool = StartPool(id, settings);
        await Ask<PoolReady>(pool, new OpenPool("10.1.0.0/24", "10.1.0.1"));
        await Ask<RangeReserved>(pool, new ReserveRange("epg:web", "10.1.0.100-10.1.0.120"));
        var general = await AllocateConcurrently(pool, Enumerable.Range(0, 60).Select(i => $"ep:{i}"));
        var inRange = await Task.WhenAll(Enumerable.Range(0, 15).Select(i =>
            Ask<AddressGranted>(pool, new AllocateAddress($"ep:w{i}", RangeOwner: "epg:web"))));
        await Task.WhenAll(Enumerable.Range(0, 60).Where(i => i % 6 == 0).Select(i => Ask<AddressReleased>(pool, new ReleaseAddress($"ep:{i}"))));
        await Ask<AddressGranted>(pool, new AllocateAddress("svc:vip", "10.1.0.200"));
        var before = await Ask<PoolUsage>(pool, new InspectPool());
        var rangeBefore = await Ask<PoolUsage>(pool, new InspectPool("epg:web"));

        // A snapshot was written (every 10 events) and reflects the pool.
        var snapshotStore = Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        await AwaitAssertAsync(async () =>
        {
            var loaded = await snapshotStore.Ask<LoadSnapshotResult>(
                new LoadSnapshot("pool-" + id, SnapshotSelectionCriteria.Latest, long.MaxValue), AskTimeout);
            Assert.NotNull(loaded.Snapshot);
            Assert.True(loaded.Snapshot.Metadata.SequenceNr >= 80, $"latest snapshot at {loaded.Snapshot.Metadata.SequenceNr}");
            var snapshot = Assert.IsType<PoolSnapshot>(loaded.Snapshot.Snapshot);
            Assert.Equal("10.1.0.0/24", snapshot.Subnet);
            Assert.Equal("epg:web", Assert.Single(snapshot.Ranges).Owner);
        }, TimeSpan.FromSeconds(10));

        await StopAsync(pool);
        var restarted = StartPool(id, settings);
        Assert.Equal(before, await Ask<PoolUsage>(restarted, new InspectPool()));
        Assert.Equal(rangeBefore, await Ask<PoolUsage>(restarted, new InspectPool("epg:web")));
        foreach (var held in general.Where((_, i) => i % 6 != 0).Concat(inRange))
            Assert.Equal(held, await Ask<AddressGranted>(restarted, new AllocateAddress(held.Owner)));

        // It goes on where the first incarnation stopped: the lowest released address, then the range's next.
        Assert.Equal("10.1.0.2", (await Ask<AddressGranted>(restarted, new AllocateAddress("ep:new"))).Address);
        Assert.Equal("10.1.0.115", (await Ask<AddressGranted>(restarted, new AllocateAddress("ep:wnew", RangeOwner: "epg:web"))).Address);
    }
}
