using Contiv.Master.Entities;
using Contiv.Master.Entities.Pools;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Pools;
using Xunit;
using static Contiv.Tests.Unit.Pools.IpPoolStateTests;

namespace Contiv.Tests.Unit.Pools;

/// <summary>Docker's IPAM in a pool: holders per address, swarm's repeated requests and double releases.</summary>
public sealed class IpPoolIpamTests
{
    private static readonly string Global = PoolOwners.DockerGlobal;
    private static readonly string LocalH1 = PoolOwners.DockerLocal("h1");
    private static readonly string LocalH2 = PoolOwners.DockerLocal("h2");

    private static IpPoolState Open(string subnet = "10.80.0.0/24", string? gateway = "10.80.0.1") =>
        Run(IpPoolState.Closed("t1:net1"), new OpenPool(subnet, gateway)).State;

    private static (IpPoolState State, string Address) Hold(IpPoolState state, string holder, string? address = null, bool gateway = false, string? range = null)
    {
        var (next, reply) = Run(state, new HoldIpamAddress(holder, address, gateway, range));
        var granted = Assert.IsType<AddressGranted>(reply);
        Assert.Equal(holder, granted.Owner);
        return (next, granted.Address);
    }

    private static PoolUsage Usage(IpPoolState state) => Assert.IsType<PoolUsage>(state.Decide(new InspectPool()).Reply);

    [Fact]
    public void Swarm_asks_for_the_same_task_address_twice_and_it_is_free_only_after_both_releases()
    {
        var state = Open();
        (state, var gateway) = Hold(state, Global, gateway: true);
        Assert.Equal("10.80.0.1", gateway);
        (state, var task) = Hold(state, Global);
        Assert.Equal("10.80.0.2", task);
        // The node asks for exactly those, in its local space.
        (state, var again) = Hold(state, LocalH1, "10.80.0.1", gateway: true);
        Assert.Equal("10.80.0.1", again);
        (state, again) = Hold(state, LocalH1, task);
        Assert.Equal(task, again);
        // Holding twice is holding once: no event, same answer.
        Assert.True(state.Decide(new HoldIpamAddress(LocalH1, task)).Events.IsEmpty);

        (state, var reply) = Run(state, new ReleaseIpamAddress(LocalH1, task));
        Assert.IsType<AddressReleased>(reply);
        Assert.Contains("10.80.0.2", Usage(state).AllocatedAddresses);
        // Not free yet: the next allocation skips it.
        (state, var next) = Hold(state, Global);
        Assert.Equal("10.80.0.3", next);

        (state, _) = Run(state, new ReleaseIpamAddress(Global, task));
        Assert.DoesNotContain("10.80.0.2", Usage(state).AllocatedAddresses.Split(',', '-'));
        (_, next) = Hold(state, LocalH2);
        Assert.Equal("10.80.0.2", next);
    }

    [Fact]
    public void A_double_release_is_refused_and_changes_nothing()
    {
        var state = Open();
        (state, var address) = Hold(state, LocalH1);
        (state, _) = Run(state, new ReleaseIpamAddress(LocalH1, address));
        var error = Refused(state, new ReleaseIpamAddress(LocalH1, address), ApiErrorKind.NotFound);
        Assert.Contains(address, error.Message);
        Assert.Contains("released already", error.Message);
        // Another holder cannot release what it does not hold either.
        (state, _) = Hold(state, LocalH1, address);
        Refused(state, new ReleaseIpamAddress(LocalH2, address), ApiErrorKind.NotFound);
        Refused(state, new ReleaseIpamAddress(LocalH1, "10.80.0.300"), ApiErrorKind.Invalid);
    }

    [Fact]
    public void An_endpoint_takes_a_docker_address_only_when_it_says_so_and_the_address_stays_held_for_docker()
    {
        var state = Open();
        (state, var address) = Hold(state, LocalH1);
        var error = Refused(state, new AllocateAddress("ep:other", address), ApiErrorKind.Conflict);
        Assert.Contains("Docker", error.Message);

        (state, var granted) = Run(state, new AllocateAddress("ep:docker1", address, FromIpam: true));
        Assert.Equal(address, Assert.IsType<AddressGranted>(granted).Address);
        Assert.Equal(1, Usage(state).EndpointCount);

        // The endpoint goes (docker rm: DeleteEndpoint comes before ReleaseAddress); Docker still holds it.
        (state, _) = Run(state, new ReleaseAddress("ep:docker1"));
        Refused(state, new AllocateAddress("ep:other", address), ApiErrorKind.Conflict);
        (state, _) = Run(state, new ReleaseIpamAddress(LocalH1, address));
        (_, var reused) = Run(state, new AllocateAddress("ep:other"));
        Assert.Equal(address, Assert.IsType<AddressGranted>(reused).Address);
    }

    [Fact]
    public void Docker_gets_the_networks_gateway_and_cannot_pick_another()
    {
        var state = Open();
        var error = Refused(state, new HoldIpamAddress(LocalH1, "10.80.0.254", Gateway: true), ApiErrorKind.Invalid);
        Assert.Contains("10.80.0.1", error.Message);
        // An address another owner has is not Docker's to give.
        (state, var ep) = Run(state, new AllocateAddress("ep:plain"));
        var taken = Assert.IsType<AddressGranted>(ep).Address;
        Assert.Contains("ep:plain", Refused(state, new HoldIpamAddress(LocalH1, taken), ApiErrorKind.Conflict).Message);
        Refused(state, new HoldIpamAddress(LocalH1, "10.80.0.255"), ApiErrorKind.Invalid);
        Refused(state, new HoldIpamAddress(LocalH1, "10.81.0.5"), ApiErrorKind.Invalid);
        Refused(IpPoolState.Closed("t1:gone"), new HoldIpamAddress(LocalH1), ApiErrorKind.NotFound);
    }

    [Fact]
    public void A_group_range_is_used_when_named_and_kept_otherwise()
    {
        var state = Open();
        (state, _) = Run(state, new ReserveRange("epg:web", "10.80.0.10-10.80.0.12"));
        (state, var inRange) = Hold(state, LocalH1, range: "epg:web");
        Assert.Equal("10.80.0.10", inRange);
        (state, var outside) = Hold(state, LocalH1);
        Assert.Equal("10.80.0.2", outside);
        Assert.Contains("ipPool", Refused(state, new HoldIpamAddress(LocalH1, "10.80.0.11"), ApiErrorKind.Conflict).Message);
        Assert.Contains("ipPool", Refused(state, new ReleaseRange("epg:web"), ApiErrorKind.Conflict).Message);
    }

    [Fact]
    public void The_network_cannot_close_or_change_subnet_while_docker_holds_addresses()
    {
        var state = Open();
        (state, var gw) = Hold(state, LocalH1, gateway: true);
        var error = Refused(state, new ClosePool(), ApiErrorKind.Conflict);
        Assert.Contains("docker network rm", error.Message);
        Refused(state, new OpenPool("10.90.0.0/24", "10.90.0.1"), ApiErrorKind.Conflict);
        (state, _) = Run(state, new ReleaseIpamAddress(LocalH1, gw));
        Assert.IsType<PoolClosed>(Run(state, new ClosePool()).Reply);
    }

    [Fact]
    public void A_snapshot_keeps_every_holder()
    {
        var state = Open();
        (state, var a) = Hold(state, Global);
        (state, _) = Hold(state, LocalH1, a);
        (state, _) = Run(state, new AllocateAddress("ep:x", a, FromIpam: true));
        var restored = PoolSnapshots.Restore("t1:net1", PoolSnapshots.Capture(state));
        Assert.Equal(state.IpamHolders.Keys, restored.IpamHolders.Keys);
        Assert.Equal(state.IpamHolders[Ipv4.Parse(a)], restored.IpamHolders[Ipv4.Parse(a)]);
        Assert.Equal(Usage(state), Usage(restored));
        (restored, _) = Run(restored, new ReleaseIpamAddress(Global, a));
        (restored, _) = Run(restored, new ReleaseIpamAddress(LocalH1, a));
        (restored, _) = Run(restored, new ReleaseAddress("ep:x"));
        Assert.Equal(1, Usage(restored).AllocatedCount); // the gateway
    }

    [Fact]
    public void A_hosts_orphans_are_its_holds_that_neither_an_endpoint_nor_the_gateway_has()
    {
        var state = Open();
        (state, _) = Hold(state, LocalH1, gateway: true);
        (state, var used) = Hold(state, LocalH1);
        (state, _) = Run(state, new AllocateAddress("ep:a", used, FromIpam: true));
        (state, var orphan) = Hold(state, LocalH1);
        (state, var alsoGlobal) = Hold(state, LocalH1);
        (state, _) = Hold(state, Global, alsoGlobal);
        (state, var otherHost) = Hold(state, LocalH2);

        (state, var reply) = Run(state, new ReleaseIpamOrphans(LocalH1));
        Assert.Equal([orphan, alsoGlobal], Assert.IsType<IpamOrphansReleased>(reply).Addresses.ToArray());
        var allocated = Usage(state).AllocatedAddresses;
        Assert.DoesNotContain(orphan, allocated.Split(',', '-', ' '));
        // Still held by someone else: the manager's global hold, another host's.
        Assert.Contains(alsoGlobal, state.IpamHolders.Keys.Select(Ipv4.Format));
        Assert.Contains(otherHost, state.IpamHolders.Keys.Select(Ipv4.Format));
        Assert.Contains(used, state.IpamHolders.Keys.Select(Ipv4.Format));
        // Nothing left to release the second time.
        Assert.True(state.Decide(new ReleaseIpamOrphans(LocalH1)).Events.IsEmpty);
    }
}
