using System.Text;
using System.Text.Json;
using Contiv.HostAgent.Plumbing;
using Contiv.Lab;
using Contiv.Tests.Ovs;
using Xunit;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.EndToEnd;

/// <summary>What a runtime gets wrong, on a real agent: a clear error, and nothing half made (no port, no endpoint, no address).</summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class LocalApiBadInputTests
{
    [Fact]
    public async Task Every_refused_request_says_why_and_leaves_nothing_behind()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 1);
        var host = lab.Hosts[0];
        await CreateNetworkAndGroupsAsync(lab, subnet: "10.1.0.0/29", gateway: "10.1.0.1");
        var first = await AttachAsync(lab, host, "web", "first");
        var ns = await lab.AddContainerAsync();
        var path = ClusterLab.NetnsPath(ns);

        await Refused(lab, host, new { tenant = "default", network = "nosuch", group = "web", containerId = "c1", netns = path }, 404, "network default:nosuch not found");
        await Refused(lab, host, new { tenant = "default", network = "n1", group = "nosuch", containerId = "c1", netns = path }, 404, "endpoint group default:nosuch not found");
        await Refused(lab, host, new { tenant = "nosuch", network = "n1", group = "web", containerId = "c1", netns = path }, 404, "not found");
        await Refused(lab, host, new { tenant = "default", network = "n1", group = "web", containerId = "first", netns = path }, 409, "already exists for container first");
        await Refused(lab, host, new { tenant = "default", network = "n1", group = "web", containerId = "c1", netns = "/var/run/netns/does-not-exist" }, 400, "does not exist");
        await Refused(lab, host, new { tenant = "default", network = "n1", group = "web", containerId = "c1", netns = "relative/path" }, 400, "absolute path");
        await Refused(lab, host, new { tenant = "default", network = "n1", containerId = "c1" }, 400, "netns is required");
        await Refused(lab, host, new { tenant = "default", network = "n1", group = "web", containerId = "bad id!", netns = path }, 400, "containerId");

        using (var malformed = await host.Agent.PostAsync("/v1/endpoints", new StringContent("{\"tenant\": ", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(400, (int)malformed.StatusCode);
            Assert.Contains("invalid JSON", await malformed.Content.ReadAsStringAsync());
        }
        await AssertOnlyEndpoints(lab, host, 1);

        // A /29 has 6 addresses after the gateway... the network and broadcast are never handed out: 5 in all.
        var attached = new List<LabContainer> { first };
        for (var i = 0; i < 4; i++) attached.Add(await AttachAsync(lab, host, "db"));
        await AssertOnlyEndpoints(lab, host, 5);
        var last = await lab.AddContainerAsync();
        var (status, body) = await host.CreateEndpointAsync(new { tenant = "default", network = "n1", group = "db", containerId = "one-too-many", netns = ClusterLab.NetnsPath(last) });
        Assert.True(status is 409 or 503, $"pool exhausted: {status} {body}");
        Assert.Contains("no free", body.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        await AssertOnlyEndpoints(lab, host, 5);

        // Deleting what does not exist succeeds (runtimes retry deletes) and changes nothing.
        Assert.Equal(200, (await host.DeleteEndpointAsync("never-made")).Status);
        await AssertOnlyEndpoints(lab, host, 5);
        using (var unknown = await host.Agent.GetAsync("/v1/endpoints/never-made")) Assert.Equal(404, (int)unknown.StatusCode);
        using (var wrongRoute = await host.Agent.GetAsync("/v2/whatever")) Assert.Equal(404, (int)wrongRoute.StatusCode);
    }

    private static async Task Refused(ClusterLab lab, LabHost host, object request, int expectedStatus, string expectedText)
    {
        var (status, body) = await host.CreateEndpointAsync(request);
        Assert.True(status == expectedStatus, $"{JsonSerializer.Serialize(request)}: expected {expectedStatus}, got {status} {body}");
        Assert.Contains(expectedText, body.GetProperty("error").GetString());
        await AssertOnlyEndpoints(lab, host, 1);
    }

    /// <summary>The master holds exactly <paramref name="count"/> endpoints of n1 and the bridge exactly as many endpoint ports.</summary>
    private static async Task AssertOnlyEndpoints(ClusterLab lab, LabHost host, int count)
    {
        var oper = (await GetJsonAsync(lab, "/api/v1/inspect/networks/default:n1/")).GetProperty("Oper");
        Assert.Equal(count, oper.TryGetProperty("numEndpoints", out var n) ? n.GetInt32() : 0);
        var ports = (await host.Ovs.Vsctl("list-ports", LabHost.Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, ports.Count(p => p.StartsWith("vc", StringComparison.Ordinal)));
        var (_, links) = await LabCommands.Exec(TimeSpan.FromSeconds(10), "ip", "-n", host.Namespace, "-o", "link", "show");
        Assert.Equal(count, links.Split('\n').Count(l => l.Contains(": vc", StringComparison.Ordinal) || l.Contains(": vp", StringComparison.Ordinal)));
    }
}

/// <summary>An agent that died half-way: its restart makes the host, the masters and itself agree again.</summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class AgentReconcileTests
{
    [Fact]
    public async Task A_restarted_agent_removes_orphan_ports_and_endpoints_whose_plumbing_never_finished_and_keeps_the_rest()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 1);
        var host = lab.Hosts[0];
        await CreateNetworkAndGroupsAsync(lab);
        var kept = await AttachAsync(lab, host, "web", "kept");
        var lost = await AttachAsync(lab, host, "web", "lost");
        var peer = await AttachAsync(lab, host, "db", "peer");
        Assert.True(await LabCommands.PingFrom(kept.Namespace, peer.Ip, count: 2));
        var lostPort = (await host.CreateEndpointAsync(new { tenant = "default", network = "n1", group = "web", containerId = "lost", netns = ClusterLab.NetnsPath(lost.Namespace) }))
            .Body.GetProperty("hostInterface").GetString()!;

        await host.KillAgentHardAsync();
        // As if the agent had died in the middle of plumbing "lost" (its port not yet on the bridge) ...
        await host.Ovs.Vsctl("del-port", LabHost.Bridge, lostPort);
        // ... and left the port of an endpoint the masters never heard of.
        var ghost = EndpointNames.HostInterface("ghost");
        await LabCommands.Run("ip", "-n", host.Namespace, "link", "add", ghost, "type", "veth", "peer", "name", EndpointNames.PeerOf(ghost));
        await host.Ovs.Vsctl("add-port", LabHost.Bridge, ghost, "--", "set", "interface", ghost, "external_ids:contiv-endpoint=ghost", "external_ids:contiv-container=ghost");

        await host.RestartAgentAsync();

        var ports = (await host.Ovs.Vsctl("list-ports", LabHost.Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(ghost, ports);
        Assert.DoesNotContain(lostPort, ports);
        var (_, links) = await LabCommands.Exec(TimeSpan.FromSeconds(10), "ip", "-n", host.Namespace, "-o", "link", "show");
        Assert.DoesNotContain(": " + ghost, links);
        Assert.DoesNotContain(": " + lostPort, links);
        using (var inspect = await lab.Rest.GetAsync("/api/v1/inspect/endpoints/lost/")) Assert.Equal(404, (int)inspect.StatusCode);
        var network = (await GetJsonAsync(lab, "/api/v1/inspect/networks/default:n1/")).GetProperty("Oper");
        Assert.Equal(2, network.GetProperty("numEndpoints").GetInt32());
        Assert.DoesNotContain(lost.Ip, network.GetProperty("allocatedIPAddresses").GetString()!.Split(',', '-').Select(a => a.Trim()));

        Assert.True(await LabCommands.PingFrom(kept.Namespace, peer.Ip, count: 2), "the adopted endpoints still talk");
        var again = await host.CreateEndpointAsync(new { tenant = "default", network = "n1", group = "web", containerId = "lost", netns = ClusterLab.NetnsPath(lost.Namespace) });
        Assert.True(again.Status == 200, $"the runtime's retry of the unfinished create succeeds: {again.Status} {again.Body}");
        Assert.True(await LabCommands.PingFrom(lost.Namespace, peer.Ip, count: 2));
    }
}
