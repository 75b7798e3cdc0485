using Contiv.Master.Entities.Sagas;
using Contiv.Master.Entities;
using Contiv.Master.Entities.Endpoints;
using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Tenancy;
using Xunit;

namespace Contiv.Tests.Unit.Tenants;

/// <summary>The tenant's endpoint registry and the endpoint entity's decisions, pure.</summary>
public sealed class TenantEndpointTests
{
    private static readonly NetworkConfig Net1 = new() { TenantName = "t1", NetworkName = "net1", Encap = "vxlan", Subnet = "10.1.0.0/24", Gateway = "10.1.0.1" };

    private static TenantState Tenant() => TenantState.Initial("t1")
        .Apply(new TenantCreatedEvent(new TenantConfig { TenantName = "t1" }, 5))
        .Apply(new NetworkCreatedEvent(Net1, new NetworkTags("vxlan", 3, 5001)))
        .Apply(new NetworkCreatedEvent(Net1 with { NetworkName = "net2", Subnet = "10.2.0.0/24", Gateway = "10.2.0.1" }, new NetworkTags("vxlan", 4, 5002)))
        .Apply(new EndpointGroupSavedEvent(new EndpointGroupConfig { TenantName = "t1", GroupName = "web", NetworkName = "net1" }))
        .Apply(new EndpointGroupSavedEvent(new EndpointGroupConfig { TenantName = "t1", GroupName = "pooled", NetworkName = "net1", IpPool = "10.1.0.100-10.1.0.120" }));

    private static EndpointSpec Spec(string? group = "web", string network = "net1") => new("t1", network, group, "c1", "h1");

    private static EndpointInfo Info(string id = "ep1") => new(id, Spec(), "10.1.0.2", 24, "02:02:0a:01:00:02", "10.1.0.1");

    private static TenantState Apply(TenantState state, Decision<ITenantEvent> decision) => decision.Events.Aggregate(state, (s, e) => s.Apply(e));

    [Fact]
    public void Registering_checks_network_and_group_and_gives_the_groups_range()
    {
        var state = Tenant();
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<ApiError>(TenantEndpointRules.DecideRegister(state, "ep1", Spec(network: "nosuch")).Reply).Kind);
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<ApiError>(TenantEndpointRules.DecideRegister(state, "ep1", Spec(group: "nosuch")).Reply).Kind);
        var wrongNetwork = Assert.IsType<ApiError>(TenantEndpointRules.DecideRegister(state, "ep1", Spec(group: "web", network: "net2")).Reply);
        Assert.Contains("belongs to network net1", wrongNetwork.Message);
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<ApiError>(TenantEndpointRules.DecideRegister(TenantState.Initial("t9"), "ep1", Spec()).Reply).Kind);

        var pooled = TenantEndpointRules.DecideRegister(state, "ep2", Spec(group: "pooled"));
        Assert.Equal("epg:pooled", Assert.IsType<EndpointRegistered>(pooled.Reply).RangeOwner);
        Assert.Null(Assert.IsType<EndpointRegistered>(TenantEndpointRules.DecideRegister(state, "ep3", Spec(group: null)).Reply).RangeOwner);
    }

    [Fact]
    public void Registering_again_is_idempotent_and_another_spec_under_the_same_id_conflicts()
    {
        var state = Apply(Tenant(), TenantEndpointRules.DecideRegister(Tenant(), "ep1", Spec()));
        Assert.True(TenantEndpointRules.DecideRegister(state, "ep1", Spec()).Events.IsEmpty);
        Assert.Equal(ApiErrorKind.Conflict, Assert.IsType<ApiError>(TenantEndpointRules.DecideRegister(state, "ep1", Spec() with { ContainerId = "c2" }).Reply).Kind);
    }

    [Fact]
    public void A_network_or_group_with_endpoints_cannot_be_deleted_even_while_the_endpoint_is_being_created()
    {
        var state = Apply(Tenant(), TenantEndpointRules.DecideRegister(Tenant(), "ep1", Spec()));
        var group = Assert.IsType<ImmediatePlan>(TenantRules.PlanDelete(state, ObjectKind.EndpointGroup, "web"));
        Assert.Equal("cannot delete web has 1 endpoints", Assert.IsType<ApiError>(group.Decision.Reply).Message);
        var withoutGroups = state.Apply(new EndpointGroupDeletedEvent("pooled"));
        var network = Assert.IsType<ImmediatePlan>(TenantRules.PlanDelete(withoutGroups with { Groups = withoutGroups.Groups.Clear() }, ObjectKind.Network, "net1"));
        Assert.Equal("cannot delete net1 has 1 endpoints", Assert.IsType<ApiError>(network.Decision.Reply).Message);

        state = Apply(state, TenantEndpointRules.DecideUnregister(state, "ep1"));
        var allowed = Assert.IsType<ImmediatePlan>(TenantRules.PlanDelete(state, ObjectKind.EndpointGroup, "web"));
        Assert.IsType<EndpointGroupDeletedEvent>(Assert.Single(allowed.Decision.Events));
        Assert.True(TenantEndpointRules.DecideUnregister(state, "ep1").Events.IsEmpty, "unregistering twice is fine");
    }

    [Fact]
    public void Only_recorded_endpoints_reach_the_feed_and_their_removal_does()
    {
        var state = Apply(Tenant(), TenantEndpointRules.DecideRegister(Tenant(), "ep1", Spec()));
        Assert.DoesNotContain(TenantFeed.Views(state), v => v is EndpointView);
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<ApiError>(TenantEndpointRules.DecideRecord(Tenant(), Info()).Reply).Kind);

        var record = TenantEndpointRules.DecideRecord(state, Info());
        var recorded = Assert.Single(record.Events);
        var before = state;
        state = state.Apply(recorded);
        var change = Assert.Single(TenantFeed.Changes(recorded, before, state));
        Assert.Equal(new FeedKey(FeedKind.Endpoint, "ep1"), change.Key);
        Assert.Contains(TenantFeed.Views(state), v => v is EndpointView { Endpoint.Id: "ep1" });
        Assert.True(TenantEndpointRules.DecideRecord(state, Info()).Events.IsEmpty);

        var unregistered = new EndpointUnregisteredEvent("ep1");
        Assert.Null(Assert.Single(TenantFeed.Changes(unregistered, state, state.Apply(unregistered))).View);
        Assert.All(TenantFeed.Views(state).OfType<NetworkView>(), n => Assert.Equal(5, n.TenantId));
    }

    [Fact]
    public void Rules_travel_one_by_one_and_a_deleted_policy_takes_its_rules_with_it()
    {
        var state = Tenant().Apply(new PolicySavedEvent(new PolicyConfig { TenantName = "t1", PolicyName = "p1" }));
        var rule = new RuleConfig { TenantName = "t1", PolicyName = "p1", RuleId = "7", Direction = "in", Priority = 1, Action = "deny" };
        var added = new RuleAddedEvent(rule);
        var withRule = state.Apply(added);
        Assert.Equal(new RuleView(rule), Assert.Single(TenantFeed.Changes(added, state, withRule)).View);
        var deleted = new PolicyDeletedEvent("p1");
        var changes = TenantFeed.Changes(deleted, withRule, withRule.Apply(deleted));
        Assert.Equal(["Policy/t1:p1", "Rule/t1:p1:7"], changes.Select(c => c.Key.ToString()).Order());
        Assert.All(changes, c => Assert.Null(c.View));
    }

    [Fact]
    public void An_endpoint_entity_creates_once_answers_retries_and_refuses_another_spec()
    {
        var absent = new EndpointState("ep1");
        var create = absent.DecideCreate(Spec());
        Assert.IsType<EndpointRequestedEvent>(Assert.Single(create.Events));
        Assert.Same(SagaAnswers.Later, create.Reply);
        var creating = absent.Apply(create.Events[0]);
        Assert.Equal(EndpointPhase.Creating, creating.Phase);
        var ready = creating.Apply(new EndpointAddressedEvent(Info()));
        Assert.Equal(Info(), Assert.IsType<EndpointReady>(ready.DecideCreate(Spec()).Reply).Endpoint);
        Assert.Equal(ApiErrorKind.Conflict, Assert.IsType<ApiError>(ready.DecideCreate(Spec() with { Host = "h2" }).Reply).Kind);

        var removing = ready.Apply(Assert.Single(ready.DecideRemove().Events));
        Assert.Equal(EndpointPhase.Removing, removing.Phase);
        Assert.Equal(ApiErrorKind.Conflict, Assert.IsType<ApiError>(removing.DecideCreate(Spec()).Reply).Kind);
        var resumed = removing.DecideRemove();
        Assert.True(resumed.Events.IsEmpty, "a delete while removing resumes the saga without a new event");
        Assert.Same(SagaAnswers.Later, resumed.Reply);
        var removed = removing.Apply(new EndpointRemovedEvent("ep1"));
        Assert.Equal(EndpointPhase.Absent, removed.Phase);
        Assert.IsType<EndpointRemoved>(removed.DecideRemove().Reply);
    }
}
