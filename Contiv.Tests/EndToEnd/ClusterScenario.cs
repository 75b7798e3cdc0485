using System.Net.Http.Json;
using System.Text.Json;
using Contiv.Lab;
using Xunit;

namespace Contiv.Tests.EndToEnd;

/// <summary>A container of a cluster test: its namespace and what the agent answered for it.</summary>
public sealed record LabContainer(LabHost Host, string Namespace, string EndpointId, string Ip, string Group);

/// <summary>The usual setup of the cluster tests: network n1 (VXLAN) with groups web and db in tenant default.</summary>
public static class ClusterScenario
{
    public static async Task CreateNetworkAndGroupsAsync(ClusterLab lab, string subnet = "10.1.0.0/24", string gateway = "10.1.0.1")
    {
        await lab.PostAsync("/api/v1/networks/default:n1/",
            $$"""{"tenantName":"default","networkName":"n1","encap":"vxlan","subnet":"{{subnet}}","gateway":"{{gateway}}"}""");
        await lab.PostAsync("/api/v1/policys/default:p1/", """{"tenantName":"default","policyName":"p1"}""");
        await lab.PostAsync("/api/v1/endpointGroups/default:web/", """{"tenantName":"default","groupName":"web","networkName":"n1"}""");
        await lab.PostAsync("/api/v1/endpointGroups/default:db/", """{"tenantName":"default","groupName":"db","networkName":"n1","policies":["p1"]}""");
    }

    public static async Task<LabContainer> AttachAsync(ClusterLab lab, LabHost host, string group, string? containerId = null)
    {
        var ns = await lab.AddContainerAsync();
        var id = containerId ?? ns;
        var (status, body) = await host.CreateEndpointAsync(new { tenant = "default", network = "n1", group, containerId = id, netns = ClusterLab.NetnsPath(ns) });
        Assert.True(status == 200, $"attach {id} on {host.Name}: {status} {body}");
        return new LabContainer(host, ns, body.GetProperty("endpointId").GetString()!, body.GetProperty("ip").GetString()!, group);
    }

    /// <summary>Polls until <paramref name="condition"/> holds: a change takes a moment to reach every host.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await condition()) return true;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(200);
        }
    }

    /// <summary>Whether a TCP connection from <paramref name="from"/> to <paramref name="toIp"/>:<paramref name="port"/> opens and echoes.</summary>
    public static async Task<bool> TcpEchoesAsync(LabContainer from, string toIp, int port)
    {
        using var peer = await TcpPeer.ConnectAsync(from.Namespace, toIp, port);
        return peer is not null && await peer.EchoAsync("hello");
    }

    public static async Task<JsonElement> GetJsonAsync(ClusterLab lab, string path)
    {
        using var response = await lab.Rest.GetAsync(path);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string DenyTcp8080 => """{"tenantName":"default","policyName":"p1","ruleId":"1","direction":"in","priority":10,"protocol":"tcp","port":8080,"action":"deny"}""";
}
