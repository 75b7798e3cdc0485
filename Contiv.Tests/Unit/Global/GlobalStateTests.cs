using Contiv.Master.Entities.Global;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Xunit;

namespace Contiv.Tests.Unit.Global;

public sealed class GlobalStateTests
{
    private static GlobalState Apply(GlobalState state, Contiv.Master.Entities.Decision<IGlobalEvent> decision) =>
        decision.Events.Aggregate(state, (s, e) => s.Apply(e));

    private static (GlobalState State, NetworkTags Tags) Take(GlobalState state, string owner, string encap, int requested = 0)
    {
        var decision = state.DecideAllocate(new AllocateNetworkTags(owner, encap, requested));
        var granted = Assert.IsType<NetworkTagsGranted>(decision.Reply);
        Assert.Equal(owner, granted.Owner);
        return (Apply(state, decision), granted.Tags);
    }

    private static ApiError Refused(Contiv.Master.Entities.Decision<IGlobalEvent> decision, ApiErrorKind kind)
    {
        Assert.True(decision.Events.IsEmpty);
        var error = Assert.IsType<ApiError>(decision.Reply);
        Assert.Equal(kind, error.Kind);
        return error;
    }

    private static GlobalState Saved(GlobalState state, GlobalConfig config)
    {
        var decision = state.DecideSave(config);
        Assert.False(decision.Refused, (decision.Reply as ApiError)?.Message);
        return Apply(state, decision);
    }

    private static GlobalState Fresh() => GlobalState.Initial("bridge");

    [Fact]
    public void Vlans_are_allocated_lowest_free_first()
    {
        var state = Fresh();
        (state, var a) = Take(state, "t1:a", "vlan");
        (state, var b) = Take(state, "t1:b", "vlan");
        Assert.Equal(new NetworkTags("vlan", 1, 0), a);
        Assert.Equal(2, b.Vlan);
        Assert.Null(b.Vni);
        (_, var c) = Take(state, "t1:c", "vlan");
        Assert.Equal(3, c.PktTag);
    }

    [Fact]
    public void Vlans_start_at_the_configured_range()
    {
        var state = Saved(Fresh(), new GlobalConfig { Vlans = "100-102" });
        (state, var a) = Take(state, "t1:a", "vlan");
        Assert.Equal(100, a.Vlan);
        (state, _) = Take(state, "t1:b", "vlan");
        (state, _) = Take(state, "t1:c", "vlan");
        var error = Refused(state.DecideAllocate(new AllocateNetworkTags("t1:d", "vlan", 0)), ApiErrorKind.Conflict);
        Assert.Contains("no free vlan in the range 100-102", error.Message);
    }

    [Fact]
    public void A_requested_vlan_in_use_is_a_conflict()
    {
        var (state, tags) = Take(Fresh(), "t1:a", "vlan", 100);
        Assert.Equal(100, tags.Vlan);
        var error = Refused(state.DecideAllocate(new AllocateNetworkTags("t1:b", "vlan", 100)), ApiErrorKind.Conflict);
        Assert.Contains("vlan:100", error.Message);
        var outside = Refused(state.DecideAllocate(new AllocateNetworkTags("t1:b", "vlan", 5000)), ApiErrorKind.Conflict);
        Assert.Contains("outside the range 1-4094", outside.Message);
        // The lowest-free search goes around the requested one.
        (_, var next) = Take(state, "t1:c", "vlan");
        Assert.Equal(1, next.Vlan);
    }

    [Fact]
    public void Vxlan_gives_a_vni_and_host_local_vlans_1_2_3()
    {
        var state = Fresh();
        var tags = new List<NetworkTags>();
        for (var i = 0; i < 3; i++)
        {
            (state, var t) = Take(state, $"t1:x{i}", "vxlan");
            tags.Add(t);
        }
        Assert.Equal([1, 2, 3], tags.Select(t => t.Vni!.Value));
        Assert.Equal([1, 2, 3], tags.Select(t => t.LocalVlan!.Value));
        Assert.All(tags, t => Assert.True(t.IsVxlan));
        Assert.All(tags, t => Assert.Null(t.Vlan));

        (state, var requested) = Take(state, "t1:x9", "vxlan", 5000);
        Assert.Equal(new NetworkTags("vxlan", 4, 5000), requested);
        var error = Refused(state.DecideAllocate(new AllocateNetworkTags("t1:y", "vxlan", 5000)), ApiErrorKind.Conflict);
        Assert.Contains("vxlan:5000", error.Message);
    }

    [Fact]
    public void Vlan_and_vxlan_networks_do_not_share_one_sequence()
    {
        var state = Fresh();
        (state, var vlan) = Take(state, "t1:v", "vlan");
        (_, var vxlan) = Take(state, "t1:x", "vxlan");
        Assert.Equal(1, vlan.Vlan);
        Assert.Equal(1, vxlan.Vni);
        Assert.Equal(1, vxlan.LocalVlan);
    }

    [Fact]
    public void Release_frees_the_tags()
    {
        var state = Fresh();
        (state, _) = Take(state, "t1:a", "vlan");
        (state, _) = Take(state, "t1:b", "vlan");
        (state, _) = Take(state, "t1:x", "vxlan");

        var release = state.DecideRelease("t1:a");
        Assert.Equal(new NetworkTagsReleased("t1:a"), release.Reply);
        state = Apply(state, release);
        state = Apply(state, state.DecideRelease("t1:x"));
        Assert.DoesNotContain(1, state.VlansInUse);
        Assert.Empty(state.VnisInUse);
        Assert.Empty(state.LocalVlansInUse);
        Assert.Equal(1, state.NetworkCount);

        var again = state.DecideRelease("t1:a");
        Assert.True(again.Events.IsEmpty);
        Assert.Equal(new NetworkTagsReleased("t1:a"), again.Reply);

        (state, var reused) = Take(state, "t1:c", "vlan");
        Assert.Equal(1, reused.Vlan);
        (_, var vxlan) = Take(state, "t1:y", "vxlan");
        Assert.Equal(new NetworkTags("vxlan", 1, 1), vxlan);
    }

    [Fact]
    public void Allocation_is_idempotent_per_owner()
    {
        var (state, tags) = Take(Fresh(), "t1:a", "vxlan", 7);
        var again = state.DecideAllocate(new AllocateNetworkTags("t1:a", "vxlan", 7));
        Assert.True(again.Events.IsEmpty);
        Assert.Equal(new NetworkTagsGranted("t1:a", tags), again.Reply);
        var any = state.DecideAllocate(new AllocateNetworkTags("t1:a", "vxlan", 0));
        Assert.True(any.Events.IsEmpty);
        Assert.Equal(new NetworkTagsGranted("t1:a", tags), any.Reply);

        Refused(state.DecideAllocate(new AllocateNetworkTags("t1:a", "vlan", 0)), ApiErrorKind.Conflict);
        Refused(state.DecideAllocate(new AllocateNetworkTags("t1:a", "vxlan", 8)), ApiErrorKind.Conflict);
        Refused(state.DecideAllocate(new AllocateNetworkTags("t1:b", "gre", 0)), ApiErrorKind.Invalid);
    }

    [Fact]
    public void Narrowing_a_range_past_tags_in_use_is_refused_and_widening_is_allowed()
    {
        var state = Saved(Fresh(), new GlobalConfig { Vlans = "100-200", Vxlans = "1000-2000" });
        (state, _) = Take(state, "t1:v", "vlan", 150);
        (state, _) = Take(state, "t1:x", "vxlan", 1500);

        var vlans = Refused(state.DecideSave(new GlobalConfig { Vlans = "160-200" }), ApiErrorKind.Conflict);
        Assert.Contains("vlans in use 150", vlans.Message);
        var vxlans = Refused(state.DecideSave(new GlobalConfig { Vxlans = "1-1000" }), ApiErrorKind.Conflict);
        Assert.Contains("vxlans in use 1500", vxlans.Message);

        state = Saved(state, new GlobalConfig { Vlans = "1-4094", Vxlans = "1-10000" });
        Assert.Equal("1-4094", state.Config.Vlans);
        Assert.Equal("1-10000", state.Config.Vxlans);
        state = Saved(state, new GlobalConfig { Vlans = "150-150" });
        Assert.Equal("150-150", state.Config.Vlans);
    }

    [Fact]
    public void Bad_ranges_are_invalid()
    {
        Refused(Fresh().DecideSave(new GlobalConfig { Vlans = "0-4094" }), ApiErrorKind.Invalid);
        Refused(Fresh().DecideSave(new GlobalConfig { Vxlans = "1-20000" }), ApiErrorKind.Invalid);
    }

    [Fact]
    public void Forwarding_mode_cannot_change_while_networks_exist()
    {
        var (state, _) = Take(Saved(Fresh(), new GlobalConfig()), "t1:x", "vxlan");
        var error = Refused(state.DecideSave(new GlobalConfig { FwdMode = "routing" }), ApiErrorKind.Conflict);
        Assert.Equal("Unable to update forwarding mode due to existing 1 vxlans", error.Message);

        (state, _) = Take(state, "t1:v", "vlan");
        (state, _) = Take(state, "t1:w", "vlan");
        var both = Refused(state.DecideSave(new GlobalConfig { FwdMode = "routing" }), ApiErrorKind.Conflict);
        Assert.Equal("Unable to update forwarding mode due to existing 2 vlans and 1 vxlans", both.Message);

        // Unchanged mode with other changes is fine.
        Saved(state, new GlobalConfig { FwdMode = "bridge", ArpMode = "flood" });
    }

    [Fact]
    public void Private_subnet_cannot_change_while_networks_exist()
    {
        var (state, _) = Take(Fresh(), "t1:x", "vxlan");
        var error = Refused(state.DecideSave(new GlobalConfig { PvtSubnet = "172.20.0.0/16" }), ApiErrorKind.Conflict);
        Assert.Equal("Unable to update private subnet due to existing 1 vxlans", error.Message);

        state = Apply(state, state.DecideRelease("t1:x"));
        state = Saved(state, new GlobalConfig { PvtSubnet = "172.20.0.0/16", FwdMode = "routing" });
        Assert.Equal("172.20.0.0/16", state.Config.PvtSubnet);
        Assert.Equal("routing", state.Config.FwdMode);
    }

    [Fact]
    public void Leaving_routing_mode_needs_bgp_configs_deleted()
    {
        var state = Saved(GlobalState.Initial("routing"), new GlobalConfig());
        state = Apply(state, state.DecideSaveBgp(new BgpConfig { Hostname = "h1", RouterIp = "50.1.1.1/24", As = "65002", NeighborAs = "500", Neighbor = "50.1.1.2" }));
        var error = Refused(state.DecideSave(new GlobalConfig { FwdMode = "bridge" }), ApiErrorKind.Conflict);
        Assert.Contains("Bgp", error.Message);
        state = Apply(state, state.DecideDeleteBgp("h1"));
        Saved(state, new GlobalConfig { FwdMode = "bridge" });
        Refused(state.DecideDeleteBgp("h1"), ApiErrorKind.NotFound);
    }

    [Fact]
    public void Saving_merges_missing_fields_and_is_idempotent_once_initialized()
    {
        var fresh = Fresh();
        var first = fresh.DecideSave(new GlobalConfig());
        Assert.Single(first.Events); // the first start fixes the defaults in the journal
        var state = Apply(fresh, first);
        Assert.True(state.Initialized);
        Assert.Equal(GlobalDefaults.Config("bridge"), state.Config);

        Assert.True(state.DecideSave(new GlobalConfig { Vlans = "1-4094" }).Events.IsEmpty);
        state = Saved(state, new GlobalConfig { ArpMode = "flood" });
        Assert.Equal("flood", state.Config.ArpMode);
        Assert.Equal("1-10000", state.Config.Vxlans);
    }

    [Fact]
    public void Tenants_register_idempotently_with_a_number_that_is_never_reused()
    {
        var state = Fresh();
        Assert.Equal(GlobalDefaults.DefaultTenantId, state.Tenants[GlobalDefaults.DefaultTenant]);
        var register = state.DecideRegisterTenant("t1");
        Assert.Single(register.Events);
        Assert.Equal(2, Assert.IsType<TenantRegistered>(register.Reply).Id);
        state = Apply(state, register);
        var again = state.DecideRegisterTenant("t1");
        Assert.True(again.Events.IsEmpty);
        Assert.Equal(2, Assert.IsType<TenantRegistered>(again.Reply).Id);
        var unregister = state.DecideUnregisterTenant("t1");
        Assert.Equal(["default"], Assert.IsType<TenantNames>(unregister.Reply).Names.ToArray());
        state = Apply(state, unregister);
        Assert.False(state.Tenants.ContainsKey("t1"));
        Assert.True(state.DecideUnregisterTenant("t1").Events.IsEmpty);
        Assert.Equal(3, Assert.IsType<TenantRegistered>(state.DecideRegisterTenant("t1").Reply).Id);
    }

    [Fact]
    public void Registrations_written_before_tenants_had_numbers_are_numbered_in_order()
    {
        var state = Fresh().Apply(new TenantRegisteredEvent("a")).Apply(new TenantRegisteredEvent("b"));
        Assert.Equal(2, state.Tenants["a"]);
        Assert.Equal(3, state.Tenants["b"]);
        Assert.Equal(4, Assert.IsType<TenantRegistered>(state.DecideRegisterTenant("c").Reply).Id);
    }
}
