using Contiv.Lab;
using Contiv.Tests.EndToEnd;
using Contiv.Tests.Ovs;
using Xunit;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Two hosts, groups web and db, one container of each group on each host, and every ordered pair
/// of them tried (ping, tcp/8080, and tcp/9090 into db): all pass; a policy whose rule denies
/// incoming tcp/8080, attached to db by updating the group through REST, refuses new tcp/8080
/// connections into both db containers from every other container (same host and across hosts) and
/// nothing else; deleting the rule restores them.
/// </summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class GroupPolicyAcrossHostsTests
{
    private const int Guarded = 8080;
    private const int Other = 9090;

    [Fact]
    public async Task A_policy_attached_to_db_by_a_group_update_denies_tcp_8080_into_db_from_every_container_and_nothing_else()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await lab.PostAsync("/api/v1/networks/default:n1/", """{"tenantName":"default","networkName":"n1","encap":"vxlan","subnet":"10.1.0.0/24","gateway":"10.1.0.1"}""");
        await lab.PostAsync("/api/v1/endpointGroups/default:web/", """{"tenantName":"default","groupName":"web","networkName":"n1"}""");
        await lab.PostAsync("/api/v1/endpointGroups/default:db/", """{"tenantName":"default","groupName":"db","networkName":"n1"}""");

        var containers = new List<LabContainer>();
        foreach (var host in lab.Hosts)
            foreach (var group in new[] { "web", "db" })
                containers.Add(await AttachAsync(lab, host, group));
        var servers = new List<TcpEchoServer>();
        try
        {
            foreach (var c in containers)
            {
                servers.Add(await TcpEchoServer.StartAsync(c.Namespace, Guarded));
                if (c.Group == "db") servers.Add(await TcpEchoServer.StartAsync(c.Namespace, Other));
            }
            // The first packets towards a new VTEP only resolve the underlay next hop.
            foreach (var from in containers)
                foreach (var to in containers.Where(t => t != from && t.Host != from.Host))
                    await LabCommands.PingFrom(from.Namespace, to.Ip, count: 3);

            await ExpectMatrixAsync(containers, denyInto: null, "no policy yet: everything passes");

            await lab.PostAsync("/api/v1/policys/default:p1/", """{"tenantName":"default","policyName":"p1"}""");
            await lab.PostAsync("/api/v1/rules/default:p1:1/", DenyTcp8080);
            await ExpectMatrixAsync(containers, denyInto: null, "a rule of a policy no group uses changes nothing");

            await lab.PostAsync("/api/v1/endpointGroups/default:db/", """{"tenantName":"default","groupName":"db","networkName":"n1","policies":["p1"]}""");
            await ExpectMatrixAsync(containers, denyInto: "db", "p1 attached to db: tcp/8080 into db refused from every container");

            await lab.DeleteAsync("/api/v1/rules/default:p1:1/");
            await ExpectMatrixAsync(containers, denyInto: null, "the rule deleted: everything passes again");
        }
        finally
        {
            foreach (var server in servers) server.Dispose();
        }
    }

    /// <summary>Polls (flows take a moment to reach every host) until each pair behaves as expected; fails with the last table.</summary>
    private static async Task ExpectMatrixAsync(List<LabContainer> containers, string? denyInto, string what)
    {
        var pairs = containers.SelectMany(from => containers.Where(to => to != from).Select(to => (From: from, To: to))).ToList();
        string[] table = [];
        var ok = await EventuallyAsync(async () =>
        {
            var results = await Task.WhenAll(pairs.Select(async p =>
            {
                var ping = await LabCommands.PingFrom(p.From.Namespace, p.To.Ip, count: 1);
                var guarded = await TcpEchoesAsync(p.From, p.To.Ip, Guarded);
                bool? other = p.To.Group == "db" ? await TcpEchoesAsync(p.From, p.To.Ip, Other) : null;
                var expectedGuarded = p.To.Group != denyInto;
                var good = ping && guarded == expectedGuarded && other is null or true;
                return (Good: good, Line: $"{Name(p.From)} -> {Name(p.To)} {p.To.Ip}: ping {ping}, tcp/{Guarded} {guarded} (expected {expectedGuarded}), tcp/{Other} {other?.ToString() ?? "-"}");
            }));
            table = [.. results.Select(r => (r.Good ? "  " : "X ") + r.Line)];
            return results.All(r => r.Good);
        }, TimeSpan.FromSeconds(30));
        Assert.True(ok, $"{what}:\n{string.Join('\n', table)}");
    }

    private static string Name(LabContainer c) => $"{c.Group}@{c.Host.Name}";
}
