using Contiv.Dataplane.Ovs.HostModel;
using Contiv.HostAgent.Translation;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Xunit;

namespace Contiv.Tests.Unit.Agent;

public sealed class HostStateTranslatorTests
{
    private static readonly NetworkView Net = new(new NetworkConfig
    {
        TenantName = "t1", NetworkName = "n1", Encap = "vxlan", Subnet = "10.1.0.0/24", Gateway = "10.1.0.1",
    }, new NetworkTags("vxlan", 3, 5001), TenantId: 7);

    private static GroupView Group(string name, params string[] policies) =>
        new(new EndpointGroupConfig { TenantName = "t1", GroupName = name, NetworkName = "n1", Policies = [.. policies] });

    private static EndpointView Endpoint(string id, string host, string? group, string ip) =>
        new(new EndpointInfo(id, new EndpointSpec("t1", "n1", group, "c-" + id, host), ip, 24, "02:02:0a:01:00:09", "10.1.0.1"));

    private static readonly FeedView[] Views =
    [
        new SettingsView("bridge", "proxy"),
        new HostView("h1", "192.0.2.1", null, "akka.tcp://contiv@192.0.2.1:4100"),
        new HostView("h2", "192.0.2.2", null, "akka.tcp://contiv@192.0.2.2:4100"),
        Net, Group("web"), Group("db", "p1"),
        new PolicyView("t1", "p1"),
        new RuleView(new RuleConfig { TenantName = "t1", PolicyName = "p1", RuleId = "1", Direction = "in", Priority = 10, Protocol = "tcp", Port = 8080, Action = "deny", FromEndpointGroup = "web" }),
        new RuleView(new RuleConfig { TenantName = "t1", PolicyName = "p1", RuleId = "2", Direction = "out", Priority = 5, Action = "allow", ToIpAddress = "10.9.0.0/16" }),
        new RuleView(new RuleConfig { TenantName = "t1", PolicyName = "p1", RuleId = "3", Direction = "in", Priority = 5, Action = "deny", FromEndpointGroup = "nosuch" }),
        Endpoint("a", "h1", "web", "10.1.0.2"),
        Endpoint("b", "h1", "db", "10.1.0.3"),
        Endpoint("c", "h2", "db", "10.1.0.4"),
        Endpoint("d", "h1", "web", "10.1.0.5"),      // not plumbed here yet
        Endpoint("e", "h9", "web", "10.1.0.6"),      // on a host with no agent
        Endpoint("f", "h2", "nogroup", "10.1.0.7"),  // its group is not (yet) known
    ];

    private static HostFacts Facts => new("h1", Ipv4.Parse("192.0.2.1"), null,
        new Dictionary<string, uint> { ["a"] = 1, ["b"] = 2 },
        new Dictionary<Ipv4, uint> { [Ipv4.Parse("192.0.2.2")] = 100 });

    [Fact]
    public void Views_and_host_facts_become_the_dataplane_host_state()
    {
        var (state, _) = HostStateTranslator.Translate(Views, Facts, IdTable.Empty);

        var network = Assert.Single(state.Networks.Values);
        Assert.Equal(0x0100_0000u | 5001, network.Id);
        Assert.Equal(7u, network.Vrf);
        Assert.Equal(Encapsulation.Vxlan, network.Encap);
        Assert.Equal(5001u, network.SegmentId);
        Assert.Equal(HostStateTranslator.GatewayMac, network.GatewayMac);

        Assert.Equal(["a", "b"], state.LocalEndpoints.Keys);
        Assert.Equal(1u, state.LocalEndpoints["a"].OfPort);
        var remote = Assert.Single(state.RemoteEndpoints.Values);
        Assert.Equal("c", remote.Id);
        Assert.Equal(Ipv4.Parse("192.0.2.2"), remote.HostVtep);
        Assert.Equal(100u, state.Vteps[Ipv4.Parse("192.0.2.2")]);

        var policy = Assert.Single(state.Policies.Values);
        Assert.Equal(7u, policy.Vrf);
        Assert.Equal(2, policy.Rules.Count); // the rule naming an unknown group cannot match yet
        var deny = policy.Rules.Values.Single(r => r.Action == RuleAction.Deny);
        Assert.Equal((RuleDirection.In, (byte?)IpProtocol.Tcp, (ushort?)8080, 10), (deny.Direction, deny.Protocol, deny.Port, deny.Priority));
        Assert.Equal(state.LocalEndpoints["a"].GroupId, deny.FromGroup);
        var allow = policy.Rules.Values.Single(r => r.Action == RuleAction.Allow);
        Assert.Equal(Ipv4Prefix.Parse("10.9.0.0/16"), allow.ToCidr);

        var db = state.LocalEndpoints["b"].GroupId!.Value;
        Assert.Equal([policy.Id], state.PoliciesOf(db).Select(p => p.Id));
        Assert.Empty(state.PoliciesOf(state.LocalEndpoints["a"].GroupId!.Value));
    }

    [Fact]
    public void Numbers_stay_the_same_across_translations_and_new_objects_get_new_ones()
    {
        var (first, context) = HostStateTranslator.Translate(Views, Facts, IdTable.Empty);
        var (second, context2) = HostStateTranslator.Translate([.. Views, Group("extra")], Facts, context.Ids);
        Assert.Equal(first.LocalEndpoints["a"].GroupId, second.LocalEndpoints["a"].GroupId);
        Assert.Equal(first.Policies.Keys, second.Policies.Keys);
        Assert.Equal(context.Ids.Numbers.Count + 1, context2.Ids.Numbers.Count);
        Assert.Equal(first, HostStateTranslator.Translate(Views, Facts, context2.Ids).State);
    }

    [Fact]
    public void Following_endpoint_and_rule_changes_one_by_one_gives_what_a_whole_translation_gives()
    {
        var views = Views.ToDictionary(v => v.Key);
        var translation = HostStateTranslator.Translate(views.Values, Facts, IdTable.Empty);
        var first = ((RuleView)views[new FeedKey(FeedKind.Rule, "t1:p1:1")]).Config;
        FeedChange[] changes =
        [
            FeedChange.Upsert(Endpoint("g", "h2", "web", "10.1.0.8")),
            FeedChange.Remove(new FeedKey(FeedKind.Endpoint, "a")),
            FeedChange.Upsert(Endpoint("b", "h1", "web", "10.1.0.3")),
            FeedChange.Remove(new FeedKey(FeedKind.Rule, "t1:p1:1")),
            FeedChange.Upsert(new RuleView(first with { RuleId = "9", Port = 443 })),
            FeedChange.Upsert(new RuleView(first with { RuleId = "2", Port = 444 })),
            FeedChange.Upsert(new RuleView(first with { PolicyName = "later", RuleId = "1" })),
        ];
        foreach (var change in changes)
        {
            if (change.View is null) views.Remove(change.Key);
            else views[change.Key] = change.View;
            translation = HostStateTranslator.Follow(translation, views, [change], Facts);
        }
        var whole = HostStateTranslator.Translate(views.Values, Facts, translation.Context.Ids).State;
        Assert.Equal(whole, translation.State);
        Assert.Equal(["b"], translation.State.LocalEndpoints.Keys);
        Assert.Contains("g", translation.State.RemoteEndpoints.Keys);
    }

    [Fact]
    public void A_structural_change_or_a_snapshot_translates_everything_again()
    {
        var views = Views.ToDictionary(v => v.Key);
        var translation = HostStateTranslator.Translate(views.Values, Facts, IdTable.Empty);
        var renamed = new HostView("h2", "192.0.2.22", null, "akka.tcp://contiv@192.0.2.22:4100");
        views[renamed.Key] = renamed;
        var followed = HostStateTranslator.Follow(translation, views, [FeedChange.Upsert(renamed)], Facts);
        Assert.Equal(Ipv4.Parse("192.0.2.22"), followed.State.RemoteEndpoints["c"].HostVtep);
        Assert.Equal(followed.State, HostStateTranslator.Follow(translation, views, default, Facts).State);
    }

    [Fact]
    public void Routing_mode_and_flood_arp_come_from_the_global_settings()
    {
        var views = Views.Where(v => v is not SettingsView).Append(new SettingsView("routing", "flood")).ToArray();
        var (state, _) = HostStateTranslator.Translate(views, Facts, IdTable.Empty);
        Assert.Equal(ForwardingMode.Routing, state.Settings.Forwarding);
        Assert.Equal(ArpMode.Flood, state.Settings.Arp);
    }

    [Fact]
    public void A_vlan_network_keeps_its_vlan_and_a_network_id_apart_from_vnis()
    {
        var vlan = new NetworkView(Net.Config with { NetworkName = "v1", Encap = "vlan" }, new NetworkTags("vlan", 100, 0), 7);
        var (state, _) = HostStateTranslator.Translate([vlan], Facts with { UplinkPort = 9 }, IdTable.Empty);
        var network = Assert.Single(state.Networks.Values);
        Assert.Equal((100u, 100u, Encapsulation.Vlan), (network.Id, network.SegmentId, network.Encap));
        Assert.Equal(9u, state.Settings.UplinkPort);
    }
}
