using System.Collections.Immutable;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Reads;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Xunit;

namespace Contiv.Tests.Unit.Reads;

/// <summary>DESIGN §5 case by case, as the console's verdict says it (the random agreement with the datapath is in VerdictAgreementTests).</summary>
public sealed class PolicyVerdictsTests
{
    private static TenantEndpoint Endpoint(string id, string network, string? group, string ip, string tenant = "t1") =>
        new(id, new EndpointSpec(tenant, network, group, "c-" + id, "h1", "ctr-" + id),
            new EndpointInfo(id, new EndpointSpec(tenant, network, group, "c-" + id, "h1"), ip, 24, "02:02:0a:01:00:02", null));

    private static RuleConfig Rule(string policy, string id, string direction, int priority, string action, string? protocol = null, int port = 0,
        string? fromGroup = null, string? toGroup = null, string? fromIp = null) => new()
    {
        TenantName = "t1", PolicyName = policy, RuleId = id, Direction = direction, Priority = priority, Action = action,
        Protocol = protocol, Port = port, FromEndpointGroup = fromGroup, ToEndpointGroup = toGroup, FromIpAddress = fromIp,
    };

    private static TenantState Tenant(string name, IEnumerable<RuleConfig> rules, params (string Group, string Network, string[] Policies)[] groups)
    {
        var networks = groups.Select(g => g.Network).Append("n1").Distinct().ToImmutableSortedDictionary(n => n,
            n => new NetworkEntry(new NetworkConfig { TenantName = name, NetworkName = n, Encap = "vxlan", Subnet = "10.1.0.0/24" }, new NetworkTags("vxlan", 1, 5001)));
        return new TenantState
        {
            Name = name, Exists = true, Networks = networks,
            Groups = groups.ToImmutableSortedDictionary(g => g.Group, g => new EndpointGroupConfig { TenantName = name, GroupName = g.Group, NetworkName = g.Network, Policies = [.. g.Policies] }),
            Rules = rules.ToImmutableSortedDictionary(r => TenantState.RuleKey(r.PolicyName!, r.RuleId!), r => r),
        };
    }

    private static readonly TenantEndpoint Web = Endpoint("web1", "n1", "web", "10.1.0.2");
    private static readonly TenantEndpoint Db = Endpoint("db1", "n1", "db", "10.1.0.3");

    private static ProtocolVerdict Verdict(PairVerdict pair, string protocol) => pair.Verdicts.Single(v => v.Protocol == protocol);

    [Fact]
    public void Without_policies_every_protocol_is_allowed_and_the_reason_says_there_is_no_policy()
    {
        var tenant = Tenant("t1", [], ("web", "n1", []), ("db", "n1", []));
        var pair = PolicyVerdicts.Judge("bridge", tenant, Web, tenant, Db, 80);
        Assert.Null(pair.Unreachable);
        Assert.All(pair.Verdicts, v => Assert.True(v.Admitted));
        Assert.Equal(["tcp", "udp", "icmp"], pair.Verdicts.Select(v => v.Protocol));
        Assert.Null(Verdict(pair, "icmp").Port);
        Assert.Contains("has no policy", Verdict(pair, "tcp").Destination!.Reason);
    }

    [Fact]
    public void An_in_deny_on_a_port_decides_that_port_and_protocol_only_and_names_its_rule()
    {
        var tenant = Tenant("t1", [Rule("p", "1", "in", 10, "deny", "tcp", 22, fromGroup: "web")], ("web", "n1", []), ("db", "n1", ["p"]));
        var ssh = PolicyVerdicts.Judge("bridge", tenant, Web, tenant, Db, 22);
        var tcp = Verdict(ssh, "tcp");
        Assert.False(tcp.Admitted);
        Assert.Equal("1", tcp.Destination!.Deciding!.RuleId);
        Assert.Equal("the destination's side denies it", tcp.Reason);
        Assert.False(tcp.Source!.Denies);
        Assert.True(Verdict(ssh, "udp").Admitted);
        Assert.True(Verdict(ssh, "icmp").Admitted);
        Assert.True(Verdict(PolicyVerdicts.Judge("bridge", tenant, Web, tenant, Db, 80), "tcp").Admitted);
        // The rule names the source group: the other way round it does not match.
        Assert.True(Verdict(PolicyVerdicts.Judge("bridge", tenant, Db, tenant, Web, 22), "tcp").Admitted);
    }

    [Fact]
    public void The_highest_priority_match_decides_and_deny_wins_a_tie()
    {
        var higherAllow = Tenant("t1", [Rule("p", "1", "in", 5, "deny"), Rule("p", "2", "in", 9, "allow", "tcp")], ("web", "n1", []), ("db", "n1", ["p"]));
        var pair = PolicyVerdicts.Judge("bridge", higherAllow, Web, higherAllow, Db, 80);
        Assert.True(Verdict(pair, "tcp").Admitted);
        Assert.Equal("2", Verdict(pair, "tcp").Destination!.Deciding!.RuleId);
        Assert.False(Verdict(pair, "udp").Admitted);
        Assert.Equal("1", Verdict(pair, "udp").Destination!.Deciding!.RuleId);

        var tie = Tenant("t1", [Rule("p", "1", "in", 5, "allow"), Rule("p", "2", "in", 5, "deny", "tcp")], ("web", "n1", []), ("db", "n1", ["p"]));
        var tied = Verdict(PolicyVerdicts.Judge("bridge", tie, Web, tie, Db, 80), "tcp");
        Assert.False(tied.Admitted);
        Assert.Equal("2", tied.Destination!.Deciding!.RuleId);
        Assert.Contains("deny winning the tie", tied.Destination.Reason);
    }

    [Fact]
    public void Each_side_decides_alone_so_an_out_allow_does_not_override_an_in_deny()
    {
        var tenant = Tenant("t1", [Rule("out", "1", "out", 100, "allow"), Rule("in", "1", "in", 1, "deny", "icmp")],
            ("web", "n1", ["out"]), ("db", "n1", ["in"]));
        var pair = PolicyVerdicts.Judge("bridge", tenant, Web, tenant, Db, 80);
        var icmp = Verdict(pair, "icmp");
        Assert.False(icmp.Admitted);
        Assert.Equal("out", icmp.Source!.Deciding!.PolicyName);
        Assert.False(icmp.Source.Denies);
        Assert.True(icmp.Destination!.Denies);
        var both = Tenant("t1", [Rule("out", "1", "out", 1, "deny"), Rule("in", "1", "in", 1, "deny")], ("web", "n1", ["out"]), ("db", "n1", ["in"]));
        Assert.Equal("both sides deny it", Verdict(PolicyVerdicts.Judge("bridge", both, Web, both, Db, 80), "udp").Reason);
    }

    [Fact]
    public void A_port_needs_tcp_or_udp_so_a_port_rule_without_protocol_leaves_icmp_alone()
    {
        var tenant = Tenant("t1", [Rule("p", "1", "in", 1, "deny", port: 80)], ("web", "n1", []), ("db", "n1", ["p"]));
        var pair = PolicyVerdicts.Judge("bridge", tenant, Web, tenant, Db, 80);
        Assert.False(Verdict(pair, "tcp").Admitted);
        Assert.False(Verdict(pair, "udp").Admitted);
        Assert.True(Verdict(pair, "icmp").Admitted);
    }

    [Fact]
    public void Tenants_never_reach_each_other_and_bridge_mode_keeps_networks_apart()
    {
        var t1 = Tenant("t1", [], ("web", "n1", []), ("db", "n2", []));
        var t2 = Tenant("t2", [], ("web", "n1", []));
        var other = Endpoint("x", "n1", "web", "10.1.0.2", tenant: "t2");
        var across = PolicyVerdicts.Judge("routing", t1, Web, t2, other, 80);
        Assert.Contains("tenants never reach each other", across.Unreachable);
        Assert.All(across.Verdicts, v => Assert.False(v.Admitted));
        Assert.All(across.Verdicts, v => Assert.Null(v.Source));

        var dbOnN2 = Endpoint("db2", "n2", "db", "10.2.0.3");
        Assert.Contains("bridge mode", PolicyVerdicts.Judge("bridge", t1, Web, t1, dbOnN2, 80).Unreachable);
        Assert.Null(PolicyVerdicts.Judge("routing", t1, Web, t1, dbOnN2, 80).Unreachable);
    }

    [Fact]
    public void Rules_that_name_what_the_tenant_lacks_match_nothing_and_addresses_match_prefixes_and_ranges()
    {
        var tenant = Tenant("t1", [Rule("p", "1", "in", 1, "deny", fromGroup: "ghost")], ("web", "n1", []), ("db", "n1", ["p"]));
        Assert.All(PolicyVerdicts.Judge("bridge", tenant, Web, tenant, Db, 80).Verdicts, v => Assert.True(v.Admitted));

        Assert.True(PolicyVerdicts.Covers("10.1.0.0/24", "10.1.0.2"));
        Assert.False(PolicyVerdicts.Covers("10.1.1.0/24", "10.1.0.2"));
        Assert.True(PolicyVerdicts.Covers("10.1.0.2", "10.1.0.2"));
        Assert.False(PolicyVerdicts.Covers("10.1.0.3", "10.1.0.2"));
        Assert.True(PolicyVerdicts.Covers("10.1.0.1-5", "10.1.0.2"));
        Assert.True(PolicyVerdicts.Covers("10.1.0.1-5/24", "10.1.0.5"));
        Assert.False(PolicyVerdicts.Covers("10.1.0.3-5", "10.1.0.2"));
        Assert.True(PolicyVerdicts.Covers(null, "10.1.0.2"));
    }

    [Fact]
    public void An_endpoint_without_an_address_is_unreachable_and_says_so()
    {
        var tenant = Tenant("t1", [], ("web", "n1", []), ("db", "n1", []));
        var pending = Db with { Info = null };
        Assert.Equal("endpoint db1 has no address yet", PolicyVerdicts.Judge("bridge", tenant, Web, tenant, pending, 80).Unreachable);
    }
}
