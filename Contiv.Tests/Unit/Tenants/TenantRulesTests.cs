using Contiv.Master.Entities;
using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Tenancy;
using Xunit;

namespace Contiv.Tests.Unit.Tenants;

public sealed class TenantRulesTests
{
    private const string T = "t1";

    private static readonly NetworkConfig Net1 = new()
    {
        TenantName = T, NetworkName = "net1", Encap = "vlan", Subnet = "10.1.0.0/16", Gateway = "10.1.0.1",
    };

    private static TenantState Tenant(params ITenantEvent[] events) => Tenant(T, events);

    private static TenantState Tenant(string name, params ITenantEvent[] events) =>
        events.Aggregate(TenantState.Initial(name).Apply(new TenantCreatedEvent(new TenantConfig { TenantName = name })), (s, e) => s.Apply(e));

    private static NetworkCreatedEvent Network(NetworkConfig config) => new(config, new NetworkTags("vlan", 1, 0));

    private static TenantState WithNet1(params ITenantEvent[] more) => Tenant([Network(Net1), .. more]);

    private static EndpointGroupConfig Group(string name, params string[] policies) => new()
    {
        TenantName = T, GroupName = name, NetworkName = "net1", Policies = policies.Length == 0 ? null : [.. policies],
    };

    private static RuleConfig Rule(string direction) => new()
    {
        TenantName = T, PolicyName = "p1", RuleId = "r1", Direction = direction, Priority = 1, Action = "allow",
    };

    private static ApiError Refused(TenantPlan plan, ApiErrorKind kind)
    {
        var immediate = Assert.IsType<ImmediatePlan>(plan);
        Assert.True(immediate.Decision.Events.IsEmpty);
        var error = Assert.IsType<ApiError>(immediate.Decision.Reply);
        Assert.Equal(kind, error.Kind);
        return error;
    }

    private static ITenantEvent Persisted(TenantPlan plan)
    {
        var immediate = Assert.IsType<ImmediatePlan>(plan);
        Assert.False(immediate.Decision.Refused, (immediate.Decision.Reply as ApiError)?.Message);
        return Assert.Single(immediate.Decision.Events);
    }

    // ---- networks -----------------------------------------------------------------------------

    [Fact]
    public void A_new_network_needs_tags_and_a_pool()
    {
        var plan = TenantRules.PlanSave(Tenant(), Net1);
        Assert.Equal(new CreateNetworkPlan(Net1), plan);
    }

    [Fact]
    public void An_overlapping_network_is_a_conflict()
    {
        var net2 = Net1 with { NetworkName = "net2", Subnet = "10.1.5.0/24", Gateway = null };
        var error = Refused(TenantRules.PlanSave(WithNet1(), net2), ApiErrorKind.Conflict);
        Assert.Equal("network net1 conflicts with subnet 10.1.0.0/16", error.Message);

        var range = Net1 with { NetworkName = "net2", Subnet = "10.1.255.250-10.2.0.10/8", Gateway = null };
        Refused(TenantRules.PlanSave(WithNet1(), range), ApiErrorKind.Conflict);
        Assert.IsType<CreateNetworkPlan>(TenantRules.PlanSave(WithNet1(), Net1 with { NetworkName = "net2", Subnet = "10.2.0.0/16", Gateway = null }));
    }

    [Fact]
    public void Another_tenants_networks_are_irrelevant()
    {
        var other = Tenant("t2", Network(Net1 with { TenantName = "t2" }));
        Assert.True(other.Networks.ContainsKey("net1"));
        Assert.IsType<CreateNetworkPlan>(TenantRules.PlanSave(Tenant(), Net1));
    }

    [Theory]
    [InlineData("10.2.0.1")]
    [InlineData("10.1.0.0")]
    [InlineData("10.1.255.255")]
    [InlineData("not-an-ip")]
    public void A_gateway_outside_the_subnet_or_reserved_is_invalid(string gateway)
    {
        var error = Refused(TenantRules.PlanSave(Tenant(), Net1 with { Gateway = gateway }), ApiErrorKind.Invalid);
        Assert.Contains(gateway, error.Message);
    }

    [Fact]
    public void Saving_the_identical_network_again_answers_its_view()
    {
        var plan = Assert.IsType<ImmediatePlan>(TenantRules.PlanSave(WithNet1(), Net1 with { }));
        Assert.True(plan.Decision.Events.IsEmpty);
        Assert.Equal(new RenderView(ObjectKind.Network, "t1:net1"), plan.Decision.Reply);
    }

    [Fact]
    public void Changing_a_network_is_a_conflict()
    {
        var error = Refused(TenantRules.PlanSave(WithNet1(), Net1 with { Gateway = "10.1.0.254" }), ApiErrorKind.Conflict);
        Assert.Equal("Cant change network parameters after its created", error.Message);
    }

    [Fact]
    public void Objects_of_a_missing_tenant_are_not_found()
    {
        var error = Refused(TenantRules.PlanSave(TenantState.Initial("t9"), Net1 with { TenantName = "t9" }), ApiErrorKind.NotFound);
        Assert.Contains("t9", error.Message);
        Refused(TenantRules.PlanDelete(TenantState.Initial("t9"), ObjectKind.Network, "net1"), ApiErrorKind.NotFound);
    }

    [Fact]
    public void A_network_with_groups_cannot_be_deleted()
    {
        var state = WithNet1(new EndpointGroupSavedEvent(Group("web")));
        var error = Refused(TenantRules.PlanDelete(state, ObjectKind.Network, "net1"), ApiErrorKind.Conflict);
        Assert.Equal("cannot delete net1 has 1 endpoint groups", error.Message);
        Assert.Equal(new DeleteNetworkPlan("net1"), TenantRules.PlanDelete(WithNet1(), ObjectKind.Network, "net1"));
        Refused(TenantRules.PlanDelete(WithNet1(), ObjectKind.Network, "net9"), ApiErrorKind.NotFound);
    }

    // ---- tenants ------------------------------------------------------------------------------

    [Fact]
    public void A_tenant_with_networks_cannot_be_deleted()
    {
        var error = Refused(TenantRules.PlanDelete(WithNet1(), ObjectKind.Tenant, T), ApiErrorKind.Conflict);
        Assert.Equal("cannot delete t1 has 1 networks", error.Message);
        Assert.Equal(new DeleteTenantPlan(T), TenantRules.PlanDelete(Tenant(), ObjectKind.Tenant, T));
        var gone = Tenant().Apply(new TenantDeletedEvent(T));
        Refused(TenantRules.PlanDelete(gone, ObjectKind.Tenant, T), ApiErrorKind.NotFound);
    }

    [Fact]
    public void Creating_a_tenant_registers_it_and_changing_it_is_a_conflict()
    {
        var config = new TenantConfig { TenantName = "t2" };
        Assert.Equal(new CreateTenantPlan(config), TenantRules.PlanSave(TenantState.Initial("t2"), config));
        var state = Tenant("t2");
        var same = Assert.IsType<ImmediatePlan>(TenantRules.PlanSave(state, config with { }));
        Assert.Equal(new RenderView(ObjectKind.Tenant, "t2"), same.Decision.Reply);
        Refused(TenantRules.PlanSave(state, config with { DefaultNetwork = "net1" }), ApiErrorKind.Conflict);
    }

    // ---- groups -------------------------------------------------------------------------------

    [Fact]
    public void A_group_with_an_ip_pool_reserves_it_first()
    {
        var group = Group("web") with { IpPool = "10.1.2.1-10.1.2.9" };
        Assert.Equal(new CreateGroupWithPoolPlan(group), TenantRules.PlanSave(WithNet1(), group));
    }

    [Theory]
    [InlineData("10.2.0.1-10.2.0.9")]
    [InlineData("10.1.255.250-10.2.0.3")]
    [InlineData("10.1.0.9-10.1.0.1")]
    [InlineData("nonsense")]
    public void A_group_ip_pool_outside_the_subnet_or_malformed_is_invalid(string pool)
    {
        var error = Refused(TenantRules.PlanSave(WithNet1(), Group("web") with { IpPool = pool }), ApiErrorKind.Invalid);
        Assert.Contains(pool, error.Message);
    }

    [Fact]
    public void A_group_needs_its_network_and_policies()
    {
        Refused(TenantRules.PlanSave(Tenant(), Group("web")), ApiErrorKind.NotFound);
        var error = Refused(TenantRules.PlanSave(WithNet1(), Group("web", "p9")), ApiErrorKind.NotFound);
        Assert.Contains("p9", error.Message);
        var saved = Persisted(TenantRules.PlanSave(WithNet1(new PolicySavedEvent(new PolicyConfig { TenantName = T, PolicyName = "p1" })), Group("web", "p1")));
        Assert.IsType<EndpointGroupSavedEvent>(saved);
    }

    [Fact]
    public void A_groups_network_and_ip_pool_are_immutable()
    {
        var group = Group("web") with { IpPool = "10.1.2.1-10.1.2.9" };
        var state = WithNet1(Network(Net1 with { NetworkName = "net2", Subnet = "10.2.0.0/16", Gateway = null }), new EndpointGroupSavedEvent(group));
        Refused(TenantRules.PlanSave(state, group with { NetworkName = "net2" }), ApiErrorKind.Conflict);
        var error = Refused(TenantRules.PlanSave(state, group with { IpPool = "10.1.2.1-10.1.2.10" }), ApiErrorKind.Conflict);
        Assert.Equal("Cannot change IP pool after epg is created.", error.Message);
    }

    [Fact]
    public void Saving_an_identical_group_again_persists_nothing()
    {
        // The request is a fresh deserialization: equal content, other list instances.
        var state = WithPolicyAndGroups();
        var plan = Assert.IsType<ImmediatePlan>(TenantRules.PlanSave(state, Group("web", "p1")));
        Assert.Equal(new RenderView(ObjectKind.EndpointGroup, "t1:web"), plan.Decision.Reply);
        Assert.True(plan.Decision.Events.IsEmpty, $"an identical re-save wrote {plan.Decision.Events.Length} event(s)");
    }

    [Fact]
    public void Saving_an_identical_service_again_persists_nothing()
    {
        ServiceLbConfig Service() => new()
        {
            TenantName = T, ServiceName = "svc1", NetworkName = "net1", Selectors = ["app=web"], Ports = ["80:8080:TCP"],
        };
        var state = WithNet1(new ServiceLbSavedEvent(Service(), "10.1.0.2"));
        var plan = Assert.IsType<ImmediatePlan>(TenantRules.PlanSave(state, Service()));
        Assert.Equal(new RenderView(ObjectKind.ServiceLb, "t1:svc1"), plan.Decision.Reply);
        Assert.True(plan.Decision.Events.IsEmpty, $"an identical re-save wrote {plan.Decision.Events.Length} event(s)");

        var changed = Persisted(TenantRules.PlanSave(state, Service() with { Selectors = ["app=db"] }));
        Assert.Equal("10.1.0.2", Assert.IsType<ServiceLbSavedEvent>(changed).Vip);
    }

    // ---- policies and rules -------------------------------------------------------------------

    private static TenantState WithPolicyAndGroups() => WithNet1(
        new PolicySavedEvent(new PolicyConfig { TenantName = T, PolicyName = "p1" }),
        new EndpointGroupSavedEvent(Group("web", "p1")),
        new EndpointGroupSavedEvent(Group("db")),
        Network(Net1 with { NetworkName = "net2", Subnet = "10.2.0.0/16", Gateway = null }));

    public static TheoryData<RuleConfig, string> BadDirectionCombos => new()
    {
        { Rule("in") with { ToNetwork = "net2" }, "can not specify 'to' parameters in incoming rule" },
        { Rule("in") with { ToEndpointGroup = "db" }, "can not specify 'to' parameters in incoming rule" },
        { Rule("in") with { FromNetwork = "net2", FromIpAddress = "10.9.0.0/16" }, "can not specify both from network and from ip address" },
        { Rule("in") with { FromNetwork = "net2", FromEndpointGroup = "db" }, "can not specify both from network and from EndpointGroup" },
        { Rule("out") with { FromNetwork = "net2" }, "can not specify 'from' parameters in outgoing rule" },
        { Rule("out") with { FromEndpointGroup = "db" }, "can not specify 'from' parameters in outgoing rule" },
        { Rule("out") with { FromIpAddress = "10.9.0.1" }, "can not specify 'from' parameters in outgoing rule" },
        { Rule("out") with { ToNetwork = "net2", ToIpAddress = "10.9.0.1" }, "can not specify both to-network and to-ip address" },
        { Rule("out") with { ToNetwork = "net2", ToEndpointGroup = "db" }, "can not specify both to-network and to-EndpointGroup" },
        { Rule("both"), "invalid direction" },
        { Rule("in") with { Port = 80 }, "needs protocol tcp or udp" },
        { Rule("in") with { Port = 80, Protocol = "icmp" }, "needs protocol tcp or udp" },
    };

    [Theory]
    [MemberData(nameof(BadDirectionCombos))]
    public void Rule_parameters_must_fit_the_direction(RuleConfig rule, string message)
    {
        var error = Refused(TenantRules.PlanSave(WithPolicyAndGroups(), rule), ApiErrorKind.Invalid);
        Assert.Contains(message, error.Message);
    }

    public static TheoryData<RuleConfig> GoodDirectionCombos => new()
    {
        Rule("in"),
        Rule("in") with { FromEndpointGroup = "db", Protocol = "tcp", Port = 5432 },
        Rule("in") with { FromIpAddress = "10.9.0.0/16", Protocol = "udp", Port = 53 },
        Rule("in") with { FromEndpointGroup = "db", FromIpAddress = "10.9.0.1" },
        Rule("out") with { ToEndpointGroup = "db", Protocol = "6", Port = 1 },
        Rule("out") with { ToNetwork = "net2" },
        Rule("out") with { ToIpAddress = "10.9.0.1", Protocol = "17", Port = 53 },
        Rule("out") with { ToEndpointGroup = "db", ToIpAddress = "10.9.0.1" },
    };

    [Theory]
    [MemberData(nameof(GoodDirectionCombos))]
    public void Rules_that_fit_their_direction_are_added(RuleConfig rule)
    {
        var added = Assert.IsType<RuleAddedEvent>(Persisted(TenantRules.PlanSave(WithPolicyAndGroups(), rule)));
        Assert.Equal(rule, added.Config);
    }

    [Fact]
    public void A_rule_referencing_a_missing_group_network_or_policy_is_not_found()
    {
        var state = WithPolicyAndGroups();
        Assert.Contains("nope", Refused(TenantRules.PlanSave(state, Rule("in") with { FromEndpointGroup = "nope" }), ApiErrorKind.NotFound).Message);
        Assert.Contains("nope", Refused(TenantRules.PlanSave(state, Rule("out") with { ToEndpointGroup = "nope" }), ApiErrorKind.NotFound).Message);
        Assert.Contains("nope", Refused(TenantRules.PlanSave(state, Rule("in") with { FromNetwork = "nope" }), ApiErrorKind.NotFound).Message);
        Assert.Contains("nope", Refused(TenantRules.PlanSave(state, Rule("out") with { ToNetwork = "nope" }), ApiErrorKind.NotFound).Message);
        Assert.Contains("p9", Refused(TenantRules.PlanSave(state, Rule("in") with { PolicyName = "p9" }), ApiErrorKind.NotFound).Message);
    }

    [Fact]
    public void A_from_network_rule_is_stored_with_the_networks_subnet_as_from_ip_address()
    {
        var rule = Rule("in") with { FromNetwork = "net2" };
        var added = Assert.IsType<RuleAddedEvent>(Persisted(TenantRules.PlanSave(WithPolicyAndGroups(), rule)));
        Assert.Equal(rule with { FromIpAddress = "10.2.0.0/16" }, added.Config);

        // As in the original, a rule id is never saved twice, identical or not.
        var state = WithPolicyAndGroups().Apply(added);
        Refused(TenantRules.PlanSave(state, rule), ApiErrorKind.Conflict);
        Refused(TenantRules.PlanSave(state, rule with { Priority = 2 }), ApiErrorKind.Conflict);
    }

    [Fact]
    public void An_incoming_rule_to_an_ip_address_is_refused_without_endpoints()
    {
        var error = Refused(TenantRules.PlanSave(WithPolicyAndGroups(), Rule("in") with { ToIpAddress = "10.1.0.5" }), ApiErrorKind.Invalid);
        Assert.Contains("10.1.0.5", error.Message);
    }

    [Fact]
    public void A_policy_attached_to_a_group_cannot_be_deleted()
    {
        var error = Refused(TenantRules.PlanDelete(WithPolicyAndGroups(), ObjectKind.Policy, "p1"), ApiErrorKind.Conflict);
        Assert.Contains("Policy is being used", error.Message);
        Assert.Contains("web", error.Message);

        var free = WithNet1(new PolicySavedEvent(new PolicyConfig { TenantName = T, PolicyName = "p2" }));
        Assert.Equal(new PolicyDeletedEvent("p2"), Persisted(TenantRules.PlanDelete(free, ObjectKind.Policy, "p2")));
    }

    [Fact]
    public void Deleting_a_policy_deletes_its_rules()
    {
        var state = WithNet1(new PolicySavedEvent(new PolicyConfig { TenantName = T, PolicyName = "p2" }),
            new RuleAddedEvent(Rule("in") with { PolicyName = "p2" }),
            new RuleAddedEvent(Rule("in") with { PolicyName = "p2", RuleId = "r2" }));
        Assert.Equal(2, state.Rules.Count);
        state = state.Apply(Persisted(TenantRules.PlanDelete(state, ObjectKind.Policy, "p2")));
        Assert.Empty(state.Rules);
    }

    [Fact]
    public void A_group_referenced_by_a_rule_cannot_be_deleted()
    {
        var state = WithPolicyAndGroups().Apply(new RuleAddedEvent(Rule("in") with { FromEndpointGroup = "db" }));
        var error = Refused(TenantRules.PlanDelete(state, ObjectKind.EndpointGroup, "db"), ApiErrorKind.Conflict);
        Assert.Contains("t1:p1:r1", error.Message);
    }

    // ---- snapshots ----------------------------------------------------------------------------

    [Fact]
    public void A_tenant_snapshot_restores_the_same_state()
    {
        var state = WithPolicyAndGroups()
            .Apply(new RuleAddedEvent(Rule("in") with { FromNetwork = "net2", FromIpAddress = "10.2.0.0/16" }))
            .Apply(new PoolWorkStartedEvent("net2"));
        var restored = TenantSnapshots.Restore(T, TenantSnapshots.Capture(state));
        Support.Structural.AssertEqual(TenantSnapshots.Capture(state), TenantSnapshots.Capture(restored));
        Assert.Equal(state.Name, restored.Name);
        Assert.Equal(["net2"], restored.PendingPoolWork);
    }
}
