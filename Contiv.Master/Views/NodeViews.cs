using System.Text.Json.Nodes;
using Akka.Cluster;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;

namespace Contiv.Master.Views;

/// <summary>A host as an operator asks about it: where its tunnels end, whether its agent is in the cluster, what its switch holds.</summary>
public static class NodeViews
{
    /// <summary>Every member of the cluster (masters and agents) as gossip sees it, with the host behind each agent.</summary>
    public static JsonArray Members(ClusterEvent.CurrentClusterState cluster, IReadOnlyList<HostView>? hosts, string? role = null)
    {
        var members = new JsonArray();
        foreach (var member in cluster.Members.Where(m => role is null || m.HasRole(role)))
        {
            var node = new JsonObject
            {
                ["address"] = member.Address.ToString(),
                ["status"] = cluster.Unreachable.Contains(member) ? "unreachable" : member.Status.ToString().ToLowerInvariant(),
                ["roles"] = new JsonArray([.. member.Roles.Select(r => (JsonNode)r)]),
            };
            if (member.Address.Equals(cluster.Leader)) node["leader"] = true;
            if (hosts?.FirstOrDefault(h => h.NodeAddress == member.Address.ToString()) is { } host)
            {
                node["host"] = host.Name;
                node["vtep-ip"] = host.VtepIp;
                if (host.Uplink is not null) node["uplink"] = host.Uplink;
            }
            members.Add(node);
        }
        return members;
    }

    /// <summary><c>GET /api/v1/inspect/nodes/</c>: the cluster's members; the hosts are left out when the feed did not answer.</summary>
    public static ApiReply List(FeedHosts? hosts, ClusterEvent.CurrentClusterState cluster) =>
        new ApiOk(Members(cluster, hosts?.Hosts).ToJsonString());

    public static ApiReply Inspect(string name, FeedHosts hosts, ClusterEvent.CurrentClusterState cluster)
    {
        var host = hosts.Hosts.FirstOrDefault(h => h.Name == name);
        if (host is null)
            return ApiError.NotFound($"node {name} not found: no agent has registered a host of that name (known: {string.Join(", ", hosts.Hosts.Select(h => h.Name))})");
        var member = cluster.Members.FirstOrDefault(m => m.Address.ToString() == host.NodeAddress);
        var status = member is null ? "agent not in the cluster" : cluster.Unreachable.Contains(member) ? "unreachable" : member.Status.ToString().ToLowerInvariant();
        var oper = new JsonObject()
            .With("hostname", host.Name)
            .With("vtepIp", host.VtepIp)
            .With("uplink", host.Uplink)
            .With("nodeAddress", host.NodeAddress)
            .With("agentStatus", status);
        if (hosts.Realized.TryGetValue(name, out var version)) oper["realizedFeedVersion"] = version;
        return new ApiOk(new JsonObject { ["Oper"] = oper }.ToJsonString());
    }
}
