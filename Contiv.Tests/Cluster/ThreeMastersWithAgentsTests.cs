using System.Net;
using Contiv.Lab;
using Contiv.Tests.Ovs;
using Xunit;
using Xunit.Abstractions;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Two real hosts (agents, ovs-vswitchd, containers in namespaces) under three masters on PostgreSQL. The
/// oldest master (shard coordinators, the state feed) is killed with kill -9: traffic keeps flowing, a deny
/// written through a survivor reaches both hosts from the feed's new home, a container attached afterwards
/// gets its address from the survivors, and removing the rule restores tcp/8080.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class ThreeMastersWithAgentsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_oldest_master_keeps_traffic_flowing_and_policy_and_endpoints_served_by_the_survivors()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2, masters: 3);
        var masters = lab.Masters!;
        await CreateNetworkAndGroupsAsync(lab);
        var web = await AttachAsync(lab, lab.Hosts[0], "web");
        var db = await AttachAsync(lab, lab.Hosts[1], "db");
        using var server = await TcpEchoServer.StartAsync(db.Namespace, 8080);
        await LabCommands.PingFrom(web.Namespace, db.Ip, count: 3);
        Assert.True(await EventuallyAsync(() => TcpEchoesAsync(web, db.Ip, 8080)), "web -> db tcp/8080 before anything happened");

        var oldest = masters.Masters[0];
        await oldest.KillHardAsync();
        var killedAt = DateTime.UtcNow;
        Assert.True(await LabCommands.PingFrom(web.Namespace, db.Ip, count: 2), "forwarding stopped when a master died");

        using var survivors = new MasterClients([.. masters.Masters.Skip(1)]);
        await survivors.PostUntilOkAsync("rules", "default:p1:1", DenyTcp8080, TimeSpan.FromSeconds(60));
        output.WriteLine($"deny accepted by a survivor {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after the kill");
        Assert.True(await EventuallyAsync(async () => !await TcpEchoesAsync(web, db.Ip, 8080), TimeSpan.FromSeconds(60)),
            "the deny written through a survivor did not reach the hosts");
        output.WriteLine($"deny enforced {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after the kill");
        Assert.True(await LabCommands.PingFrom(web.Namespace, db.Ip, count: 2), "the deny is for tcp/8080 only");

        // A container attached now gets its address through the survivors and reaches db across hosts.
        var late = await AttachAsync(lab, lab.Hosts[0], "web");
        Assert.NotEqual(web.Ip, late.Ip);
        Assert.True(await EventuallyAsync(() => LabCommands.PingFrom(late.Namespace, db.Ip, count: 1), TimeSpan.FromSeconds(30)),
            "a container attached after the kill does not reach db");

        var (status, body) = await survivors.SendAsync(HttpMethod.Delete, "/api/v1/rules/default:p1:1/", null, 0);
        Assert.True(status == HttpStatusCode.OK, $"DELETE rule: {(int?)status} {body}");
        Assert.True(await EventuallyAsync(() => TcpEchoesAsync(web, db.Ip, 8080), TimeSpan.FromSeconds(30)), "tcp/8080 not restored after the rule was deleted");
        Assert.True(await EventuallyAsync(() => TcpEchoesAsync(late, db.Ip, 8080), TimeSpan.FromSeconds(30)), "the late container has no tcp/8080 to db");
    }
}
