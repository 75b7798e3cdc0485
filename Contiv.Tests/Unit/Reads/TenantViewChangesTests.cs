using Contiv.Master.Entities.Tenants;
using Contiv.Master.Views;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Reads;
using Contiv.Messages.Tenancy;
using Xunit;

namespace Contiv.Tests.Unit.Reads;

/// <summary>
/// The read model is kept by increments: after every event, the views the tenant says it changed, applied to
/// what the model held, must equal a full render of the tenant. Links and link-sets are what make this
/// hard (a group's save changes its network's, policies', profile's and contracts' views), so the events
/// below move every kind of link there and back.
/// </summary>
public sealed class TenantViewChangesTests
{
    private static readonly NetworkTags Tags = new("vxlan", 10, 5001);

    private static readonly EndpointGroupConfig G1 = new()
    {
        TenantName = "t1", GroupName = "g1", NetworkName = "n1", Policies = ["p1"], NetProfile = "np1", ExtContractsGrps = ["c1"],
    };

    private static readonly RuleConfig R1 = new() { TenantName = "t1", PolicyName = "p1", RuleId = "r1", Direction = "in", FromEndpointGroup = "g2", Action = "allow" };

    private static IEnumerable<ITenantEvent> History() =>
    [
        new TenantCreatedEvent(new TenantConfig { TenantName = "t1" }, 5),
        new NetworkCreatedEvent(new NetworkConfig { TenantName = "t1", NetworkName = "n1", Encap = "vxlan", Subnet = "10.1.0.0/24" }, Tags),
        new NetworkCreatedEvent(new NetworkConfig { TenantName = "t1", NetworkName = "n2", Encap = "vxlan", Subnet = "10.2.0.0/24" }, Tags),
        new NetProfileSavedEvent(new NetProfileConfig { TenantName = "t1", ProfileName = "np1", Bandwidth = "10Mbps" }),
        new ExtContractsGroupSavedEvent(new ExtContractsGroupConfig { TenantName = "t1", ContractsGroupName = "c1", ContractsType = "provided" }),
        new PolicySavedEvent(new PolicyConfig { TenantName = "t1", PolicyName = "p1" }),
        new PolicySavedEvent(new PolicyConfig { TenantName = "t1", PolicyName = "p2" }),
        new EndpointGroupSavedEvent(G1),
        new EndpointGroupSavedEvent(new EndpointGroupConfig { TenantName = "t1", GroupName = "g2", NetworkName = "n2", Policies = ["p2"] }),
        new RuleAddedEvent(R1),
        new RuleAddedEvent(new RuleConfig { TenantName = "t1", PolicyName = "p1", RuleId = "r2", Direction = "out", ToEndpointGroup = "g1", Action = "deny" }),
        new AppProfileSavedEvent(new AppProfileConfig { TenantName = "t1", AppProfileName = "a1", EndpointGroups = ["g1", "g2"] }),
        new ServiceLbSavedEvent(new ServiceLbConfig { TenantName = "t1", ServiceName = "s1", NetworkName = "n1", Selectors = ["app=web"] }, "10.1.0.50"),
        // Every link moves: the group to the other network and policies, away from its profile and contracts.
        new EndpointGroupSavedEvent(G1 with { NetworkName = "n2", Policies = ["p2"], NetProfile = null, ExtContractsGrps = [] }),
        new RuleAddedEvent(R1 with { FromEndpointGroup = "g1" }),
        new AppProfileSavedEvent(new AppProfileConfig { TenantName = "t1", AppProfileName = "a1", EndpointGroups = ["g2"] }),
        new ServiceLbSavedEvent(new ServiceLbConfig { TenantName = "t1", ServiceName = "s1", NetworkName = "n2", Selectors = ["app=db"] }, "10.2.0.50"),
        new EndpointGroupSavedEvent(G1),
        new RuleDeletedEvent("p1", "r2"),
        new PolicyDeletedEvent("p1"),
        new AppProfileDeletedEvent("a1"),
        new ServiceLbDeletedEvent("s1"),
        new EndpointGroupDeletedEvent("g1"),
        new NetProfileDeletedEvent("np1"),
        new ExtContractsGroupDeletedEvent("c1"),
        new NetworkDeletedEvent("n1"),
        new TenantNumberedEvent(9),
        new EndpointGroupDeletedEvent("g2"),
        new PolicyDeletedEvent("p2"),
        new NetworkDeletedEvent("n2"),
        new TenantDeletedEvent("t1"),
    ];

    [Fact]
    public void After_every_event_the_increments_equal_a_full_render()
    {
        var state = TenantState.Initial("t1");
        var model = Rendered(TenantViewChanges.All(state));
        var step = 0;
        foreach (var e in History())
        {
            var after = state.Apply(e);
            Apply(model, TenantViewChanges.Changed(state, [e], after));
            var full = Rendered(TenantViewChanges.All(after));
            Assert.True(full.Count == model.Count && full.All(v => model.TryGetValue(v.Key, out var json) && json == v.Value),
                $"after event {step} ({e.GetType().Name}) the model differs: {Difference(full, model)}");
            state = after;
            step++;
        }
        Assert.Empty(model);
    }

    [Fact]
    public void A_batch_of_events_changes_what_its_events_changed_one_by_one()
    {
        var events = History().ToList();
        var initial = TenantState.Initial("t1");
        foreach (var cut in new[] { 3, 9, 14, 20 })
        {
            var before = events.Take(cut).Aggregate(initial, (s, e) => s.Apply(e));
            var batch = events.Skip(cut).Take(4).ToList();
            var after = batch.Aggregate(before, (s, e) => s.Apply(e));
            var model = Rendered(TenantViewChanges.All(before));
            Apply(model, TenantViewChanges.Changed(before, batch, after));
            Assert.Equal(Rendered(TenantViewChanges.All(after)), model);
        }
    }

    [Fact]
    public void Endpoints_and_pool_marks_change_no_view()
    {
        var state = History().Take(8).Aggregate(TenantState.Initial("t1"), (s, e) => s.Apply(e));
        var spec = new Messages.Endpoints.EndpointSpec("t1", "n1", "g1", "c1", "host1");
        ITenantEvent[] quiet = [new EndpointRegisteredEvent("ep1", spec), new PoolWorkStartedEvent("n1"), new PoolWorkEndedEvent("n1")];
        Assert.Empty(TenantViewChanges.Changed(state, quiet, quiet.Aggregate(state, (s, e) => s.Apply(e))));
    }

    [Fact]
    public void A_full_render_lists_every_kind_in_the_order_lists_give()
    {
        var state = History().Take(13).Aggregate(TenantState.Initial("t1"), (s, e) => s.Apply(e));
        var all = TenantViewChanges.All(state);
        foreach (var kind in ObjectKinds.All.Where(k => k.IsTenantScoped()))
            Assert.Equal(TenantViews.List(state, kind), all.Where(o => o.Kind == kind).Select(o => o.Json!));
    }

    private static Dictionary<(ObjectKind, string), string> Rendered(IEnumerable<RenderedObject> objects) =>
        objects.ToDictionary(o => (o.Kind, o.Name), o => o.Json!);

    private static void Apply(Dictionary<(ObjectKind, string), string> model, IEnumerable<RenderedObject> changes)
    {
        foreach (var change in changes)
        {
            if (change.Json is null) model.Remove((change.Kind, change.Name));
            else model[(change.Kind, change.Name)] = change.Json;
        }
    }

    private static string Difference(Dictionary<(ObjectKind, string), string> full, Dictionary<(ObjectKind, string), string> model) =>
        string.Join("; ", full.Where(v => !model.TryGetValue(v.Key, out var json) || json != v.Value).Select(v => $"stale or missing {v.Key}")
            .Concat(model.Keys.Where(k => !full.ContainsKey(k)).Select(k => $"left over {k}")));
}
