using System.Text.Json.Nodes;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Reads;
using Contiv.Master.Views;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;
using Contiv.Messages.Tenancy;
using Xunit;

namespace Contiv.Tests.Unit.Reads;

/// <summary>The read model's bookkeeping, pure: changes in order, gaps and restarts healed by dumps, sync, versions, lists.</summary>
public sealed class ReadModelStateTests
{
    private static readonly Guid First = Guid.NewGuid();
    private static readonly Guid Second = Guid.NewGuid();

    private static ITenantEvent Created(string tenant) => new TenantCreatedEvent(new TenantConfig { TenantName = tenant }, 7);

    private static ITenantEvent Network(string tenant, string name, int octet = 1) => new NetworkCreatedEvent(
        new NetworkConfig { TenantName = tenant, NetworkName = name, Encap = "vxlan", Subnet = $"10.{octet}.0.0/24" }, new NetworkTags("vxlan", 1, 5000 + octet));

    private static TenantDump Dump(string tenant, Guid incarnation, long seq, params ITenantEvent[] events)
    {
        var state = events.Aggregate(TenantState.Initial(tenant), (s, e) => s.Apply(e));
        return new TenantDump(tenant, incarnation, seq, TenantSnapshots.Capture(state), "akka.tcp://contiv@10.0.0.1:4001");
    }

    private static TenantChanged Change(string tenant, Guid incarnation, long seq, params ITenantEvent[] events) => new(tenant, incarnation, seq, [.. events]);

    private static readonly GlobalDump GlobalStart = new(First, 0,
        Master.Entities.Global.GlobalSnapshots.Capture(Master.Entities.Global.GlobalState.Initial("bridge")));

    private static ReadModelState Loaded(params ITenantEvent[] events) => ReadModelState.Empty.Apply(GlobalStart).Expecting(["t1"]).Apply(Dump("t1", First, 0, events));

    private static string[] Keys(ReadModelState state, ObjectKind kind) =>
        [.. state.List(kind).Select(json => JsonNode.Parse(json)!["key"]!.GetValue<string>())];

    [Fact]
    public void It_answers_only_once_global_and_every_tenant_global_knows_have_dumped()
    {
        var state = ReadModelState.Empty;
        Assert.False(state.Synced); // global not asked yet
        state = state.Expecting(["t1", "t2"]);
        Assert.False(state.Synced);
        state = state.Apply(Dump("t1", First, 0));
        Assert.False(state.Synced);
        state = state.Apply(Dump("t2", First, 0));
        Assert.False(state.Synced); // global's own dump has not come
        state = state.Apply(GlobalStart);
        Assert.True(state.Synced);
    }

    [Fact]
    public void Globals_changes_apply_in_order_and_a_gap_asks_for_its_dump()
    {
        var state = ReadModelState.Empty.Apply(GlobalStart);
        var bgp = new BgpConfig { Hostname = "h1", RouterIp = "50.1.1.1/24", As = "65002", NeighborAs = "500", Neighbor = "50.1.1.2" };
        state = state.Apply(new GlobalChanged(First, 1, [new BgpSavedEvent(bgp)]), out var askDump);
        Assert.False(askDump);
        Assert.True(state.Reached(new ReadVersion(ReadSources.Global, First, 1)));
        Assert.Contains("h1", state.Global!.State.Bgps.Keys);
        state.Apply(new GlobalChanged(First, 3, [new BgpDeletedEvent("h1")]), out askDump);
        Assert.True(askDump);
        Assert.False(state.Reached(new ReadVersion("t1", First, 1))); // a tenant's version is not global's
    }

    [Fact]
    public void Tenants_that_dumped_before_globals_list_came_are_not_waited_for_again()
    {
        var state = ReadModelState.Empty.Apply(GlobalStart).Apply(Dump("t1", First, 3, Created("t1"), Network("t1", "n1"))).Expecting(["t1"]);
        Assert.True(state.Synced);
        Assert.Equal(["t1:n1"], Keys(state, ObjectKind.Network));
    }

    [Fact]
    public void Changes_apply_in_order_render_every_view_they_touch_and_a_repeated_one_is_ignored()
    {
        var state = Loaded(Created("t1"));
        var change = Change("t1", First, 1, Network("t1", "n1"));
        state = state.Apply(change, out var askDump);
        Assert.False(askDump);
        state = state.Apply(change with { Events = [new NetworkDeletedEvent("n1")] }, out askDump); // seq 1 again
        Assert.False(askDump);
        Assert.Equal(["t1:n1"], Keys(state, ObjectKind.Network));
        // The tenant's view links its networks: it changed with the network.
        Assert.Contains("t1:n1", state.View(ObjectKind.Tenant, "t1", "t1"));
        state = state.Apply(Change("t1", First, 2, new NetworkDeletedEvent("n1")), out _);
        Assert.Empty(Keys(state, ObjectKind.Network));
        Assert.Null(state.View(ObjectKind.Network, "t1", "n1"));
        Assert.DoesNotContain("t1:n1", state.View(ObjectKind.Tenant, "t1", "t1"));
    }

    [Fact]
    public void A_gap_asks_for_one_dump_which_then_replaces_the_replica()
    {
        var state = Loaded(Created("t1"), Network("t1", "n1"));
        state = state.Apply(Change("t1", First, 2, Network("t1", "n9", 9)), out var askDump);
        Assert.True(askDump);
        Assert.Null(state.View(ObjectKind.Network, "t1", "n9")); // not applied out of order
        state = state.Apply(Change("t1", First, 3, Network("t1", "n8", 8)), out askDump);
        Assert.False(askDump); // already asked
        state = state.Apply(Dump("t1", First, 3, Created("t1"), Network("t1", "n8", 8), Network("t1", "n9", 9)));
        Assert.Equal(["t1:n8", "t1:n9"], Keys(state, ObjectKind.Network));
        state.Apply(Change("t1", First, 4, Network("t1", "n7", 7)), out askDump);
        Assert.False(askDump);
    }

    [Fact]
    public void A_restarted_tenant_is_healed_by_its_dump_and_a_lost_dump_may_be_asked_again()
    {
        var state = Loaded(Created("t1"), Network("t1", "n1"));
        state = state.Apply(Change("t1", Second, 1, Network("t1", "n2", 2)), out var askDump);
        Assert.True(askDump); // another incarnation: its earlier changes were missed
        state = state.DumpLost("t1");
        state.Apply(Change("t1", Second, 2, Network("t1", "n3", 3)), out askDump);
        Assert.True(askDump);
        state = state.Apply(Dump("t1", Second, 2, Created("t1"), Network("t1", "n2", 2), Network("t1", "n3", 3)));
        Assert.True(state.Reached(new ReadVersion("t1", Second, 2)));
        Assert.False(state.Follows(new ReadVersion("t1", First, 0)));
        Assert.Equal("akka.tcp://contiv@10.0.0.1:4001", state.Tenants["t1"].ServedBy);
    }

    [Fact]
    public void A_dump_older_than_the_changes_applied_is_ignored()
    {
        var state = Loaded(Created("t1"), Network("t1", "n1"))
            .Apply(Change("t1", First, 1, Network("t1", "n2", 2)), out _)
            .Apply(Dump("t1", First, 0, Created("t1"), Network("t1", "n1")));
        Assert.Equal(["t1:n1", "t1:n2"], Keys(state, ObjectKind.Network));
        Assert.True(state.Reached(new ReadVersion("t1", First, 1)));
    }

    [Fact]
    public void Versions_are_reached_once_the_change_with_their_number_applied()
    {
        var state = ReadModelState.Empty.Apply(Dump("t1", First, 4, Created("t1")));
        Assert.True(state.Reached(new ReadVersion("t1", First, 4)));
        Assert.False(state.Reached(new ReadVersion("t1", First, 5)));
        Assert.True(state.Follows(new ReadVersion("t1", First, 5)));
        Assert.False(state.Reached(new ReadVersion("t2", First, 1)));
        state = state.Apply(Change("t1", First, 5, Network("t1", "n1")), out _);
        Assert.True(state.Reached(new ReadVersion("t1", First, 5)));
    }

    [Fact]
    public void Lists_give_tenants_in_order_and_each_tenants_objects_in_name_order()
    {
        var state = ReadModelState.Empty.Expecting(["b", "a"])
            .Apply(Dump("b", First, 0, Created("b"), Network("b", "z", 1), Network("b", "c", 2)))
            .Apply(Dump("a", First, 0, Created("a"), Network("a", "y", 3), new PolicySavedEvent(new PolicyConfig { TenantName = "a", PolicyName = "p" })));
        Assert.Equal(["a:y", "b:c", "b:z"], Keys(state, ObjectKind.Network));
        Assert.Equal(["a:p"], Keys(state, ObjectKind.Policy));
        Assert.Equal(["a", "b"], Keys(state, ObjectKind.Tenant));
        Assert.Empty(state.List(ObjectKind.Rule));
    }

    [Fact]
    public void A_replica_renders_exactly_what_the_tenants_own_views_render()
    {
        var events = new[] { Network("t1", "n1"), new PolicySavedEvent(new PolicyConfig { TenantName = "t1", PolicyName = "p" }) };
        var state = Loaded(Created("t1")).Apply(Change("t1", First, 1, events), out _);
        var tenant = events.Aggregate(TenantState.Initial("t1").Apply(Created("t1")), (s, e) => s.Apply(e));
        foreach (var kind in ObjectKinds.All.Where(k => k.IsTenantScoped()))
            Assert.Equal(TenantViews.List(tenant, kind), state.List(kind));
        Assert.Equal(TenantViews.Inspect(tenant, ObjectKind.Tenant, "t1", null, servedBy: "akka.tcp://contiv@10.0.0.1:4001"),
            state.Tenants["t1"].TenantInspect.Value);
    }

    [Fact]
    public void A_list_body_is_the_json_array_of_the_list_and_follows_every_change_of_its_kind()
    {
        var state = Loaded(Created("t1"), Network("t1", "n1"));
        string Body(ObjectKind kind) => System.Text.Encoding.UTF8.GetString(state.ListBody(kind));
        Assert.Equal("[" + string.Join(",", state.List(ObjectKind.Network)) + "]", Body(ObjectKind.Network));
        var before = Body(ObjectKind.Policy);
        state = state.Apply(Change("t1", First, 1, Network("t1", "n2", 2)), out _);
        Assert.Equal(2, JsonNode.Parse(Body(ObjectKind.Network))!.AsArray().Count);
        Assert.Equal(before, Body(ObjectKind.Policy));
        Assert.Equal("[]", Body(ObjectKind.Rule));
        state = state.Apply(Change("t1", First, 2, new NetworkDeletedEvent("n1"), new NetworkDeletedEvent("n2")), out _);
        Assert.Equal("[]", Body(ObjectKind.Network));
    }

    [Fact]
    public void Before_it_is_synced_it_can_answer_for_what_has_loaded_and_names_what_has_not()
    {
        var state = ReadModelState.Empty;
        Assert.Equal(["global", "global's list of tenants"], state.Missing());
        Assert.False(state.CanAnswer(ObjectKind.Global, "global"));
        state = state.Apply(GlobalStart).Expecting(["t1", "t2"]).Apply(Dump("t1", First, 0, Created("t1")));
        Assert.Equal(["tenant t2"], state.Missing());
        Assert.True(state.CanAnswer(ObjectKind.Global, "global"));
        Assert.True(state.CanAnswer(ObjectKind.Network, "t1"));
        Assert.False(state.CanAnswer(ObjectKind.Network, "t2")); // not loaded: its objects may exist
        Assert.False(state.CanAnswer(ObjectKind.Network, "t9")); // unknown while not synced: it may be new
        state = state.Apply(Dump("t2", First, 0));
        Assert.Empty(state.Missing());
        Assert.True(state.CanAnswer(ObjectKind.Network, "t9")); // synced: a tenant it does not hold does not exist
    }

    [Fact]
    public void A_dump_of_a_tenant_that_holds_nothing_keeps_no_replica_and_removes_one_it_had()
    {
        var state = ReadModelState.Empty.Apply(GlobalStart).Expecting([]).Apply(Dump("ghost", First, 0));
        Assert.Empty(state.Tenants);
        Assert.False(state.HoldsTenant("ghost"));

        state = state.Apply(Dump("t1", First, 2, Created("t1"), Network("t1", "n1")));
        Assert.True(state.HoldsTenant("t1"));
        var deleted = state.Apply(Dump("t1", Second, 0));
        Assert.Empty(deleted.Tenants);
        Assert.Empty(Keys(deleted, ObjectKind.Network));
    }

    [Fact]
    public void An_endpoint_is_found_in_the_tenant_that_registered_it()
    {
        var spec = new Messages.Endpoints.EndpointSpec("t1", "n1", null, "c1", "h1");
        var state = Loaded(Created("t1"), Network("t1", "n1"), new EndpointRegisteredEvent("ep1", spec));
        Assert.Equal("t1", state.TenantOfEndpoint("ep1"));
        Assert.Null(state.TenantOfEndpoint("ep2"));
    }
}
