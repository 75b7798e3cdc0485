using System.Text.Json;
using Contiv.HostAgent.Plumbing;
using Contiv.Lab;
using Contiv.Tests.Ovs;
using Xunit;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.EndToEnd;

[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class EndpointLifecycleTests
{
    [Fact]
    public async Task Deleting_an_endpoint_removes_its_port_and_its_flows_on_every_host_and_frees_its_address()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await CreateNetworkAndGroupsAsync(lab);
        var gone = await AttachAsync(lab, lab.Hosts[0], "web");
        var stays = await AttachAsync(lab, lab.Hosts[1], "db");
        Assert.True(await LabCommands.PingFrom(stays.Namespace, gone.Ip, count: 4));
        foreach (var host in lab.Hosts)
            Assert.True(await EventuallyAsync(async () => (await host.FlowsAsync()).Any(f => f.Contains(gone.Ip + ",", StringComparison.Ordinal) || f.EndsWith(gone.Ip, StringComparison.Ordinal))),
                $"{host.Name} has flows for {gone.Ip} first");

        var (status, body) = await lab.Hosts[0].DeleteEndpointAsync(gone.EndpointId);
        Assert.True(status == 200, $"delete: {status} {body}");

        var ports = (await lab.Hosts[0].Ovs.Vsctl("list-ports", LabHost.Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var goneInterface = EndpointNames.HostInterface(gone.EndpointId);
        Assert.DoesNotContain(goneInterface, ports);
        Assert.DoesNotContain(ports, p => EndpointNames.IsHostInterface(p));
        Assert.DoesNotContain(goneInterface, await lab.Hosts[0].Ovs.Vsctl("--columns=name", "list", "Interface"));
        var (_, links) = await LabCommands.Exec(TimeSpan.FromSeconds(10), "ip", "-n", lab.Hosts[0].Namespace, "-o", "link", "show");
        Assert.DoesNotContain(": " + goneInterface, links);
        foreach (var host in lab.Hosts)
        {
            Assert.True(await EventuallyAsync(async () => !(await host.FlowsAsync()).Any(f => MentionsIp(f, gone.Ip))),
                $"no flow on {host.Name} mentions {gone.Ip} any more:\n{string.Join('\n', (await host.FlowsAsync()).Where(f => MentionsIp(f, gone.Ip)))}");
        }
        using (var inspect = await lab.Rest.GetAsync($"/api/v1/inspect/endpoints/{gone.EndpointId}/"))
            Assert.Equal(404, (int)inspect.StatusCode);
        var network = (await GetJsonAsync(lab, "/api/v1/inspect/networks/default:n1/")).GetProperty("Oper");
        Assert.Equal(1, network.GetProperty("numEndpoints").GetInt32());
        Assert.DoesNotContain(gone.Ip, network.GetProperty("allocatedIPAddresses").GetString()!.Split(',', '-').Select(a => a.Trim()));

        var again = await AttachAsync(lab, lab.Hosts[1], "web");
        Assert.Equal(gone.Ip, again.Ip);
        Assert.False(await LabCommands.PingFrom(gone.Namespace, stays.Ip, count: 1), "the deleted endpoint's namespace has no interface any more");
    }

    private static bool MentionsIp(string flow, string ip) =>
        flow.Split(',', ' ').Any(part => part.EndsWith("=" + ip, StringComparison.Ordinal) || part.EndsWith("=" + ip + "/32", StringComparison.Ordinal));

    [Fact]
    public async Task A_killed_agent_restarts_under_a_live_tcp_connection_which_keeps_going_and_leaves_no_stale_or_duplicate_flow()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await CreateNetworkAndGroupsAsync(lab);
        var client = await AttachAsync(lab, lab.Hosts[0], "web");
        var server = await AttachAsync(lab, lab.Hosts[1], "db");
        Assert.True(await LabCommands.PingFrom(client.Namespace, server.Ip, count: 4));
        await lab.PostAsync("/api/v1/rules/default:p1:1/", """{"tenantName":"default","policyName":"p1","ruleId":"1","direction":"in","priority":10,"protocol":"tcp","port":9090,"action":"deny"}""");

        using var echo = await TcpEchoServer.StartAsync(server.Namespace, 8080);
        using var connection = await TcpPeer.ConnectAsync(client.Namespace, server.Ip, 8080);
        Assert.NotNull(connection);
        var host = lab.Hosts[1];
        Assert.True(await EventuallyAsync(async () => (await host.FlowsAsync()).Any(f => f.Contains("tp_dst=9090", StringComparison.Ordinal))), "the rule is in h1's flows");
        var flowsBefore = await host.FlowsAsync();
        var roundBefore = Rounds(flowsBefore).Single();

        using var stop = new CancellationTokenSource();
        int echoes = 0, failures = 0;
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await connection.EchoAsync("tick")) echoes++;
                else failures++;
                await Task.Delay(20);
            }
        });

        await host.KillAgentHardAsync();
        await Task.Delay(500);
        await host.RestartAgentAsync();
        Assert.True(await EventuallyAsync(async () => Rounds(await host.FlowsAsync()).SetEquals([Rounds(await host.FlowsAsync()).Max()])
                                                       && Rounds(await host.FlowsAsync()).Max() != roundBefore),
            "the restarted agent swapped in a new round and retired the old one");
        await Task.Delay(500);
        stop.Cancel();
        await traffic;

        Assert.Equal(0, failures);
        Assert.True(echoes > 20, $"the connection kept exchanging ({echoes} echoes)");
        // Group and policy numbers are the agent's own (registers and cookies only), so the flows may
        // differ in them after a restart; their number and shape may not.
        var flowsAfter = await host.FlowsAsync();
        Assert.Equal(flowsBefore.Count, flowsAfter.Count);
        Assert.Equal(Shapes(flowsBefore), Shapes(flowsAfter));
        var network = (await GetJsonAsync(lab, "/api/v1/inspect/networks/default:n1/")).GetProperty("Oper");
        Assert.Equal(2, network.GetProperty("numEndpoints").GetInt32());
        var listed = network.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("endpointID").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { client.EndpointId, server.EndpointId }.Order(StringComparer.Ordinal), listed); // each once
        foreach (var endpoint in new[] { client, server })
        {
            var oper = (await GetJsonAsync(lab, $"/api/v1/inspect/endpoints/{endpoint.EndpointId}/")).GetProperty("Oper");
            Assert.Equal(endpoint.Host.Name, oper.GetProperty("homingHost").GetString());
        }
        Assert.Single((await host.Ovs.Vsctl("list-ports", LabHost.Bridge)).Split('\n'), p => EndpointNames.IsHostInterface(p));
        using var status = await host.Agent.GetAsync("/v1/status");
        Assert.Equal(200, (int)status.StatusCode);
        using var fresh = await TcpPeer.ConnectAsync(client.Namespace, server.Ip, 8080);
        Assert.NotNull(fresh);
    }

    private static HashSet<byte> Rounds(IEnumerable<string> flows) =>
        [.. flows.Select(f => (byte)(Convert.ToUInt64(f.Split("cookie=0x")[1].Split(',')[0], 16) >> 56))];

    /// <summary>How many flows of each (table, priority) there are: duplicates or leftovers would change it.</summary>
    private static string[] Shapes(IEnumerable<string> flows) =>
        [.. flows.Select(f => string.Join(',', f.Split(',').Where(p => p.TrimStart().StartsWith("table=", StringComparison.Ordinal) || p.TrimStart().StartsWith("priority=", StringComparison.Ordinal)).Select(p => p.Trim().Split(' ')[0])))
            .GroupBy(s => s).Select(g => $"{g.Key} x{g.Count()}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task While_the_master_is_down_forwarding_goes_on_and_changes_made_after_it_is_back_reach_the_agents()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await CreateNetworkAndGroupsAsync(lab);
        var web = await AttachAsync(lab, lab.Hosts[0], "web");
        var db = await AttachAsync(lab, lab.Hosts[1], "db");
        Assert.True(await LabCommands.PingFrom(web.Namespace, db.Ip, count: 4));

        await lab.Master.StopAsync();
        Assert.True(await LabCommands.PingFrom(web.Namespace, db.Ip, count: 3), "forwarding does not need the master");
        using var echo = await TcpEchoServer.StartAsync(db.Namespace, 8080);
        using (var during = await TcpPeer.ConnectAsync(web.Namespace, db.Ip, 8080)) Assert.NotNull(during);

        await lab.Master.RestartAsync();
        await lab.PostAsync("/api/v1/rules/default:p1:1/", DenyTcp8080);
        Assert.True(await EventuallyAsync(async () =>
        {
            using var after = await TcpPeer.ConnectAsync(web.Namespace, db.Ip, 8080);
            return after is null;
        }, TimeSpan.FromSeconds(40)), "a rule added after the master came back reaches the agents");
        Assert.True(await LabCommands.PingFrom(web.Namespace, db.Ip, count: 2));
    }
}
