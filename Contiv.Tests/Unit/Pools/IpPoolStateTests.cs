using Contiv.Master.Entities;
using Contiv.Master.Entities.Pools;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Pools;
using Xunit;

namespace Contiv.Tests.Unit.Pools;

public sealed class IpPoolStateTests
{
    private const string Pool = "t1:net1";

    /// <summary>Decides, applies the decision's events, and returns the new state with the reply.</summary>
    internal static (IpPoolState State, object Reply) Run(IpPoolState state, IPoolCommand command)
    {
        var decision = state.Decide(command);
        Assert.True(decision.Events.IsEmpty || !decision.Refused, "a refusal must not carry events");
        return (decision.Events.Aggregate(state, (s, e) => s.Apply(e)), decision.Reply);
    }

    private static IpPoolState Open(string subnet, string? gateway)
    {
        var (state, reply) = Run(IpPoolState.Closed(Pool), new OpenPool(subnet, gateway));
        Assert.Equal(new PoolReady(subnet), reply);
        return state;
    }

    private static (IpPoolState State, string Address) Allocate(IpPoolState state, string owner, string? preferred = null, string? rangeOwner = null)
    {
        var (next, reply) = Run(state, new AllocateAddress(owner, preferred, rangeOwner));
        var granted = Assert.IsType<AddressGranted>(reply);
        Assert.Equal(owner, granted.Owner);
        return (next, granted.Address);
    }

    internal static ApiError Refused(IpPoolState state, IPoolCommand command, ApiErrorKind kind)
    {
        var decision = state.Decide(command);
        Assert.True(decision.Events.IsEmpty);
        var error = Assert.IsType<ApiError>(decision.Reply);
        Assert.Equal(kind, error.Kind);
        return error;
    }

    [Fact]
    public void Opening_reserves_the_gateway()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        Assert.True(state.IsOpen);
        Assert.Equal(Ipv4.Parse("10.1.0.1"), state.AddressOf[IpPoolState.GatewayOwner]);

        var (_, first) = Allocate(state, "ep:a");
        Assert.Equal("10.1.0.2", first);
        var error = Refused(state, new AllocateAddress("ep:b", "10.1.0.1"), ApiErrorKind.Conflict);
        Assert.Contains("gateway", error.Message);
    }

    [Fact]
    public void A_grant_carries_mac_prefix_and_gateway()
    {
        var (_, reply) = Run(Open("10.1.0.0/16", "10.1.0.1"), new AllocateAddress("ep:a"));
        Assert.Equal(new AddressGranted("ep:a", "10.1.0.2", "02:02:0a:01:00:02", 16, "10.1.0.1"), reply);
    }

    [Fact]
    public void Network_and_broadcast_addresses_are_never_allocated()
    {
        var state = Open("10.1.0.0/29", null);
        var addresses = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            (state, var address) = Allocate(state, $"ep:{i}");
            addresses.Add(address);
        }
        Assert.Equal(["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6"], addresses);
        Refused(state, new AllocateAddress("ep:7"), ApiErrorKind.Conflict);
        Refused(Open("10.1.0.0/29", null), new AllocateAddress("ep:x", "10.1.0.0"), ApiErrorKind.Invalid);
        Refused(Open("10.1.0.0/29", null), new AllocateAddress("ep:x", "10.1.0.7"), ApiErrorKind.Invalid);
        Refused(Open("10.1.0.0/29", null), new AllocateAddress("ep:x", "10.1.0.8"), ApiErrorKind.Invalid);
        Refused(Open("10.1.0.0/29", null), new AllocateAddress("ep:x", "10.1.0.x"), ApiErrorKind.Invalid);
    }

    [Fact]
    public void A_range_subnet_allocates_from_its_first_address()
    {
        var state = Open("20.1.1.10-20.1.1.12/24", "20.1.1.1");
        (state, var a) = Allocate(state, "ep:a");
        (state, var b) = Allocate(state, "ep:b");
        (state, var c) = Allocate(state, "ep:c");
        Assert.Equal(["20.1.1.10", "20.1.1.11", "20.1.1.12"], new[] { a, b, c });
        Refused(state, new AllocateAddress("ep:d"), ApiErrorKind.Conflict);
        Refused(state, new AllocateAddress("ep:d", "20.1.1.20"), ApiErrorKind.Invalid);
    }

    [Fact]
    public void Lowest_free_address_first()
    {
        var state = Open("10.1.0.0/16", "10.1.0.1");
        var addresses = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            (state, var address) = Allocate(state, $"ep:{i}");
            addresses.Add(address);
        }
        Assert.Equal("10.1.0.2", addresses[0]);
        Assert.Equal("10.1.0.255", addresses[253]);
        Assert.Equal("10.1.1.0", addresses[254]);
        Assert.Equal("10.1.1.45", addresses[^1]);
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
    }

    [Fact]
    public void A_preferred_address_is_granted_and_lowest_free_goes_around_it()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, var preferred) = Allocate(state, "svc:web", "10.1.0.2");
        Assert.Equal("10.1.0.2", preferred);
        (_, var next) = Allocate(state, "ep:a");
        Assert.Equal("10.1.0.3", next);
    }

    [Fact]
    public void A_taken_preferred_address_is_a_conflict_naming_its_holder()
    {
        var (state, _) = Allocate(Open("10.1.0.0/24", "10.1.0.1"), "ep:a", "10.1.0.50");
        var error = Refused(state, new AllocateAddress("ep:b", "10.1.0.50"), ApiErrorKind.Conflict);
        Assert.Contains("10.1.0.50", error.Message);
        Assert.Contains("ep:a", error.Message);
    }

    [Fact]
    public void Allocation_is_idempotent_per_owner()
    {
        var (state, address) = Allocate(Open("10.1.0.0/24", "10.1.0.1"), "ep:a");
        var again = state.Decide(new AllocateAddress("ep:a"));
        Assert.True(again.Events.IsEmpty);
        Assert.Equal(address, Assert.IsType<AddressGranted>(again.Reply).Address);
        // Even with another preference: the owner keeps what it holds.
        Assert.Equal(address, Assert.IsType<AddressGranted>(state.Decide(new AllocateAddress("ep:a", "10.1.0.99")).Reply).Address);
    }

    [Fact]
    public void Release_then_reallocate_gives_the_lowest_again()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Allocate(state, "ep:a");
        (state, _) = Allocate(state, "ep:b");
        (state, _) = Allocate(state, "ep:c");

        (state, var released) = Run(state, new ReleaseAddress("ep:b"));
        Assert.Equal(new AddressReleased("ep:b", "10.1.0.3"), released);
        Assert.False(state.AddressOf.ContainsKey("ep:b"));

        var again = state.Decide(new ReleaseAddress("ep:b"));
        Assert.True(again.Events.IsEmpty);
        Assert.Equal(new AddressReleased("ep:b", null), again.Reply);

        (_, var reused) = Allocate(state, "ep:d");
        Assert.Equal("10.1.0.3", reused);
    }

    [Fact]
    public void A_group_range_is_kept_out_of_general_allocation()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, var reply) = Run(state, new ReserveRange("epg:web", "10.1.0.3-10.1.0.5"));
        Assert.Equal(new RangeReserved("epg:web", "10.1.0.3-10.1.0.5"), reply);

        var general = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            (state, var address) = Allocate(state, $"ep:{i}");
            general.Add(address);
        }
        Assert.Equal(["10.1.0.2", "10.1.0.6", "10.1.0.7"], general);

        var error = Refused(state, new AllocateAddress("ep:x", "10.1.0.4"), ApiErrorKind.Conflict);
        Assert.Contains("epg:web", error.Message);
    }

    [Fact]
    public void Allocation_within_a_range_uses_only_the_range()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Run(state, new ReserveRange("epg:web", "10.1.0.10-10.1.0.12"));
        var inRange = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            (state, var address) = Allocate(state, $"ep:w{i}", rangeOwner: "epg:web");
            inRange.Add(address);
        }
        Assert.Equal(["10.1.0.10", "10.1.0.11", "10.1.0.12"], inRange);

        var full = Refused(state, new AllocateAddress("ep:w3", RangeOwner: "epg:web"), ApiErrorKind.Conflict);
        Assert.Contains("ipPool of epg:web", full.Message);
        var outside = Refused(state, new AllocateAddress("ep:w3", "10.1.0.20", "epg:web"), ApiErrorKind.Conflict);
        Assert.Contains("outside the ipPool of epg:web", outside.Message);
        Refused(state, new AllocateAddress("ep:w3", RangeOwner: "epg:none"), ApiErrorKind.NotFound);

        // A freed address of the range stays out of general allocation and is reused inside it.
        (state, _) = Run(state, new ReleaseAddress("ep:w1"));
        (state, var general) = Allocate(state, "ep:g");
        Assert.Equal("10.1.0.2", general);
        Assert.Equal(Enumerable.Range(3, 7).Select(i => $"10.1.0.{i}"), Enumerable.Range(0, 7).Select(_ =>
        {
            (state, var a) = Allocate(state, $"ep:g{Guid.NewGuid():N}");
            return a;
        }));
        (_, var again) = Allocate(state, "ep:w9", rangeOwner: "epg:web");
        Assert.Equal("10.1.0.11", again);
    }

    [Fact]
    public void Releasing_an_unused_range_returns_its_addresses_to_general_allocation()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Run(state, new ReserveRange("epg:web", "10.1.0.2-10.1.0.4"));
        (state, var held) = Allocate(state, "ep:w", rangeOwner: "epg:web");
        var busy = Refused(state, new ReleaseRange("epg:web"), ApiErrorKind.Conflict);
        Assert.Contains("1 allocated", busy.Message);

        (state, _) = Run(state, new ReleaseAddress("ep:w"));
        (state, var released) = Run(state, new ReleaseRange("epg:web"));
        Assert.Equal(new RangeReleased("epg:web"), released);
        Assert.Equal("10.1.0.2", held);
        (_, var general) = Allocate(state, "ep:g");
        Assert.Equal("10.1.0.2", general);
    }

    [Fact]
    public void Overlapping_ranges_are_refused()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Run(state, new ReserveRange("epg:a", "10.1.0.10-10.1.0.20"));

        var overlap = Refused(state, new ReserveRange("epg:b", "10.1.0.20-10.1.0.30"), ApiErrorKind.Conflict);
        Assert.Contains("overlaps", overlap.Message);
        Assert.Contains("epg:a", overlap.Message);
        Refused(state, new ReserveRange("epg:b", "10.1.0.5-10.1.0.10"), ApiErrorKind.Conflict);
        Refused(state, new ReserveRange("epg:b", "10.1.0.12-10.1.0.13"), ApiErrorKind.Conflict);
        Run(state, new ReserveRange("epg:b", "10.1.0.21-10.1.0.30"));

        // Idempotent for the same owner and range, refused for a changed one.
        Assert.True(state.Decide(new ReserveRange("epg:a", "10.1.0.10-10.1.0.20")).Events.IsEmpty);
        Refused(state, new ReserveRange("epg:a", "10.1.0.10-10.1.0.21"), ApiErrorKind.Conflict);
    }

    [Fact]
    public void A_range_over_allocated_or_foreign_addresses_is_refused()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Allocate(state, "ep:a");
        var held = Refused(state, new ReserveRange("epg:a", "10.1.0.2-10.1.0.9"), ApiErrorKind.Conflict);
        Assert.Contains("10.1.0.2", held.Message);
        Refused(state, new ReserveRange("epg:a", "10.1.0.1-10.1.0.1"), ApiErrorKind.Conflict);
        Refused(state, new ReserveRange("epg:a", "10.1.1.2-10.1.1.9"), ApiErrorKind.Invalid);
        Refused(state, new ReserveRange("epg:a", "10.1.0.9-10.1.0.2"), ApiErrorKind.Invalid);
        Refused(IpPoolState.Closed(Pool), new ReserveRange("epg:a", "10.1.0.2-10.1.0.9"), ApiErrorKind.NotFound);
    }

    [Fact]
    public void Exhaustion_is_a_conflict_naming_the_network()
    {
        var state = Open("10.1.0.0/29", "10.1.0.1");
        var addresses = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            (state, var address) = Allocate(state, $"ep:{i}");
            addresses.Add(address);
        }
        Assert.Equal(["10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6"], addresses);

        var error = Refused(state, new AllocateAddress("ep:5"), ApiErrorKind.Conflict);
        Assert.Equal("no free address in network t1:net1 (10.1.0.0/29): all are allocated", error.Message);
    }

    [Fact]
    public void Allocating_in_a_closed_pool_is_not_found()
    {
        Refused(IpPoolState.Closed(Pool), new AllocateAddress("ep:a"), ApiErrorKind.NotFound);
        Refused(IpPoolState.Closed(Pool), new InspectPool(), ApiErrorKind.NotFound);
    }

    [Fact]
    public void Close_is_refused_while_endpoints_hold_addresses()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Allocate(state, "svc:web");
        (state, _) = Allocate(state, "ep:a");
        var error = Refused(state, new ClosePool(), ApiErrorKind.Conflict);
        Assert.Equal("cannot delete net1 has 1 endpoints", error.Message);

        (state, _) = Run(state, new ReleaseAddress("ep:a"));
        (state, var closed) = Run(state, new ClosePool());
        Assert.IsType<PoolClosed>(closed);
        Assert.False(state.IsOpen);
        Assert.Empty(state.AddressOf);
        Assert.True(state.Decide(new ClosePool()).Events.IsEmpty);
    }

    [Fact]
    public void Reopening_is_idempotent_and_a_new_subnet_is_refused_while_addresses_are_held()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        Assert.True(state.Decide(new OpenPool("10.1.0.0/24", "10.1.0.1")).Events.IsEmpty);
        (state, _) = Allocate(state, "ep:a");
        var error = Refused(state, new OpenPool("10.2.0.0/24", "10.2.0.1"), ApiErrorKind.Conflict);
        Assert.Contains("1 addresses in use", error.Message);
        Refused(IpPoolState.Closed(Pool), new OpenPool("10.1.0.0/24", "10.2.0.1"), ApiErrorKind.Invalid);
        Refused(IpPoolState.Closed(Pool), new OpenPool("10.1.0.0/33", null), ApiErrorKind.Invalid);
    }

    [Fact]
    public void Reconcile_drops_unknown_service_and_range_owners_only()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Allocate(state, "svc:known");
        (state, _) = Allocate(state, "svc:gone");
        (state, _) = Allocate(state, "ep:x");
        (state, _) = Run(state, new ReserveRange("epg:known", "10.1.0.100-10.1.0.110"));
        (state, _) = Run(state, new ReserveRange("epg:gone", "10.1.0.200-10.1.0.210"));

        (state, var reply) = Run(state, new ReconcilePool("10.1.0.0/24", "10.1.0.1", ["svc:known", "epg:known"]));
        Assert.Equal(new PoolReconciled(2), reply);
        Assert.Equal(["ep:x", IpPoolState.GatewayOwner, "svc:known"], state.AddressOf.Keys.Order());
        Assert.Equal(["epg:known"], state.Ranges.Keys);
        // The dropped range's addresses are free again; the kept one's are not.
        (_, var vip) = Allocate(state, "svc:again", "10.1.0.200");
        Assert.Equal("10.1.0.200", vip);
        Refused(state, new AllocateAddress("svc:again", "10.1.0.100"), ApiErrorKind.Conflict);

        var again = state.Decide(new ReconcilePool("10.1.0.0/24", "10.1.0.1", ["svc:known", "epg:known"]));
        Assert.True(again.Events.IsEmpty);
        Assert.Equal(new PoolReconciled(0), again.Reply);
    }

    [Fact]
    public void Reconcile_takes_back_the_addresses_and_ranges_the_tenant_still_records_when_they_are_free()
    {
        var state = Open("10.1.0.0/24", "10.1.0.1");
        (state, _) = Allocate(state, "svc:web", "10.1.0.50");
        (state, _) = Allocate(state, "svc:db", "10.1.0.60");
        (state, _) = Run(state, new ReserveRange("epg:web", "10.1.0.100-10.1.0.110"));
        (state, _) = Run(state, new ReserveRange("epg:db", "10.1.0.120-10.1.0.130"));
        // Deletes that died after their pool step; meanwhile 10.1.0.60 went to someone else and a range covers part of epg:db's.
        (state, _) = Run(state, new ReleaseAddress("svc:web"));
        (state, _) = Run(state, new ReleaseAddress("svc:db"));
        (state, _) = Run(state, new ReleaseRange("epg:web"));
        (state, _) = Run(state, new ReleaseRange("epg:db"));
        (state, _) = Allocate(state, "ep:x", "10.1.0.60");
        (state, _) = Run(state, new ReserveRange("epg:other", "10.1.0.125-10.1.0.140"));

        var request = new ReconcilePool("10.1.0.0/24", "10.1.0.1", ["svc:web", "svc:db", "epg:web", "epg:db", "epg:other"],
            [new PoolHolding("svc:web", "10.1.0.50"), new PoolHolding("svc:db", "10.1.0.60")],
            [new PoolRange("epg:web", "10.1.0.100", "10.1.0.110"), new PoolRange("epg:db", "10.1.0.120", "10.1.0.130")]);
        (state, var reply) = Run(state, request);
        Assert.Equal(new PoolReconciled(0, 2, "svc:db, epg:db"), reply);
        Assert.Equal("10.1.0.50", Ipv4.Format(state.AddressOf["svc:web"]));
        Assert.False(state.AddressOf.ContainsKey("svc:db"));
        Assert.Equal("ep:x", state.HolderOf[Ipv4.Parse("10.1.0.60")]);
        Assert.Equal(["epg:other", "epg:web"], state.Ranges.Keys.Order());
        Refused(state, new AllocateAddress("svc:new", "10.1.0.105"), ApiErrorKind.Conflict);
        Assert.Equal("10.1.0.100", Allocate(state, "ep:w", rangeOwner: "epg:web").Address);

        Assert.True(state.Decide(request).Events.IsEmpty);
    }

    [Fact]
    public void Reconcile_reopens_a_closed_pool()
    {
        var (state, reply) = Run(IpPoolState.Closed(Pool), new ReconcilePool("10.1.0.0/24", "10.1.0.1", ["svc:web"]));
        Assert.Equal(new PoolReconciled(0), reply);
        Assert.True(state.IsOpen);
        Assert.Equal("10.1.0.1", Ipv4.Format(state.AddressOf[IpPoolState.GatewayOwner]));
        (_, var first) = Allocate(state, "ep:a");
        Assert.Equal("10.1.0.2", first);
    }

    [Fact]
    public void Inspect_reports_allocated_and_available_addresses()
    {
        var state = Open("10.1.0.0/29", "10.1.0.1");
        (state, _) = Allocate(state, "ep:a");
        (state, _) = Allocate(state, "svc:b", "10.1.0.5");
        var (_, usage) = Run(state, new InspectPool());
        Assert.Equal(new PoolUsage("10.1.0.1-10.1.0.2, 10.1.0.5", "10.1.0.3-10.1.0.4, 10.1.0.6", 3, 1), usage);

        (state, _) = Run(state, new ReserveRange("epg:w", "10.1.0.3-10.1.0.4"));
        (state, _) = Allocate(state, "ep:w", rangeOwner: "epg:w");
        Assert.Equal(new PoolUsage("10.1.0.3", "10.1.0.4", 1, 1), Run(state, new InspectPool("epg:w")).Reply);
        Assert.Equal(new PoolUsage("", "", 0, 0), Run(state, new InspectPool("epg:none")).Reply);
    }

    [Fact]
    public void A_snapshot_restores_an_equivalent_pool()
    {
        var state = Open("10.1.0.0/20", "10.1.0.1");
        (state, _) = Run(state, new ReserveRange("epg:web", "10.1.0.20-10.1.0.40"));
        for (var i = 0; i < 50; i++) (state, _) = Allocate(state, $"ep:{i}");
        for (var i = 0; i < 5; i++) (state, _) = Allocate(state, $"ep:w{i}", rangeOwner: "epg:web");
        (state, _) = Allocate(state, "svc:vip", "10.1.3.3");
        for (var i = 0; i < 50; i += 7) (state, _) = Run(state, new ReleaseAddress($"ep:{i}"));
        (state, _) = Run(state, new ReleaseAddress("ep:w2"));

        var snapshot = PoolSnapshots.Capture(state);
        Assert.DoesNotContain(snapshot.Holdings, h => h.Owner == IpPoolState.GatewayOwner);
        var restored = PoolSnapshots.Restore(Pool, snapshot);

        AssertEquivalent(state, restored);
        // And they go on deciding alike.
        for (var i = 0; i < 20; i++)
        {
            var command = new AllocateAddress($"ep:n{i}", RangeOwner: i % 3 == 0 ? "epg:web" : null);
            (state, var a) = Run(state, command);
            (restored, var b) = Run(restored, command);
            Assert.Equal(a, b);
        }
        AssertEquivalent(state, restored);
    }

    [Fact]
    public void A_snapshot_of_a_closed_pool_restores_closed()
    {
        var restored = PoolSnapshots.Restore(Pool, PoolSnapshots.Capture(IpPoolState.Closed(Pool)));
        Assert.False(restored.IsOpen);
        Assert.Equal(Pool, restored.Name);
    }

    internal static void AssertEquivalent(IpPoolState expected, IpPoolState actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Subnet, actual.Subnet);
        Assert.Equal(expected.Spec, actual.Spec);
        Assert.Equal(expected.Gateway, actual.Gateway);
        Assert.Equal(expected.AddressOf.OrderBy(h => h.Key, StringComparer.Ordinal), actual.AddressOf.OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.Equal(expected.HolderOf, actual.HolderOf);
        Assert.Equal(expected.Ranges.OrderBy(r => r.Key, StringComparer.Ordinal), actual.Ranges.OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Taken.TakenCount, actual.Taken.TakenCount);
        Assert.Equal(expected.Taken.FreeOffsets(), actual.Taken.FreeOffsets());
        Assert.Equal(expected.Decide(new InspectPool()).Reply, actual.Decide(new InspectPool()).Reply);
    }
}
