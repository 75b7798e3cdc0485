using Contiv.Lab;
using Contiv.Tests.Ovs;
using Xunit;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.EndToEnd;

/// <summary>
/// The product end to end: a master and two agents (each host a namespace with its own ovs-vswitchd),
/// containers attached through the agents' local API, policy written through REST.
/// </summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class TwoHostPolicyTests
{
    [Fact]
    public async Task Pods_on_two_hosts_talk_and_a_deny_rule_through_rest_stops_new_connections_on_both_hosts()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await CreateNetworkAndGroupsAsync(lab);
        var info = await GetJsonAsync(lab, "/info");
        var agents = info.GetProperty("netplugin-nodes").EnumerateArray().ToList();
        Assert.Equal(["h0", "h1"], agents.Select(a => a.GetProperty("host").GetString()).Order());
        Assert.All(agents, a => Assert.Equal("up", a.GetProperty("status").GetString()));
        var node = (await GetJsonAsync(lab, "/api/v1/inspect/nodes/h1/")).GetProperty("Oper");
        Assert.Equal(lab.Hosts[1].Vtep, node.GetProperty("vtepIp").GetString());
        Assert.Equal("up", node.GetProperty("agentStatus").GetString());
        using (var missing = await lab.Rest.GetAsync("/api/v1/inspect/nodes/nosuch/")) Assert.Equal(404, (int)missing.StatusCode);

        var web0 = await AttachAsync(lab, lab.Hosts[0], "web");
        var db0 = await AttachAsync(lab, lab.Hosts[0], "db");
        var web1 = await AttachAsync(lab, lab.Hosts[1], "web");
        var db1 = await AttachAsync(lab, lab.Hosts[1], "db");

        // The first packets towards a new VTEP only resolve the underlay next hop.
        Assert.True(await LabCommands.PingFrom(web0.Namespace, db1.Ip, count: 4), "web on h0 reaches db on h1");
        Assert.True(await LabCommands.PingFrom(db1.Namespace, web0.Ip, count: 4), "db on h1 reaches web on h0");
        Assert.True(await LabCommands.PingFrom(web1.Namespace, db0.Ip, count: 4), "web on h1 reaches db on h0");

        using var server0 = await TcpEchoServer.StartAsync(db0.Namespace, 8080);
        using var server1 = await TcpEchoServer.StartAsync(db1.Namespace, 8080);
        using (var across = await TcpPeer.ConnectAsync(web0.Namespace, db1.Ip, 8080))
        {
            Assert.NotNull(across);
            Assert.True(await across.EchoAsync("hello"));
        }

        await lab.PostAsync("/api/v1/rules/default:p1:1/", DenyTcp8080);
        Assert.True(await EventuallyAsync(async () =>
        {
            using var a = await TcpPeer.ConnectAsync(web0.Namespace, db1.Ip, 8080);
            using var b = await TcpPeer.ConnectAsync(web1.Namespace, db0.Ip, 8080);
            return a is null && b is null;
        }), "the deny reaches both hosts: no new tcp/8080 connection into db from either host");
        Assert.True(await LabCommands.PingFrom(web0.Namespace, db1.Ip, count: 2), "the rule denies tcp/8080 only");

        await lab.DeleteAsync("/api/v1/rules/default:p1:1/");
        Assert.True(await EventuallyAsync(async () =>
        {
            using var a = await TcpPeer.ConnectAsync(web0.Namespace, db1.Ip, 8080);
            using var b = await TcpPeer.ConnectAsync(web1.Namespace, db0.Ip, 8080);
            return a is not null && b is not null;
        }), "removing the rule restores new connections");

        var policy = await GetJsonAsync(lab, "/api/v1/inspect/policys/default:p1/");
        var realization = policy.GetProperty("Oper").GetProperty("realization");
        Assert.True(await EventuallyAsync(async () =>
        {
            var oper = (await GetJsonAsync(lab, "/api/v1/inspect/policys/default:p1/")).GetProperty("Oper");
            return oper.GetProperty("realization").GetProperty("h0").GetString() == "realized"
                && oper.GetProperty("realization").GetProperty("h1").GetString() == "realized";
        }), $"policy inspect shows the change realized on both hosts: {realization}");
    }
}
