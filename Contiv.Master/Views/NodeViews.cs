using System.Text.Json.Nodes;
using Akka.Cluster;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;

namespace Contiv.Master.Views;

/// <summary>A host as an operator asks about it: where its tunnels end, whether its agent is in the cluster, what its switch holds.</summary>
public static class NodeViews
{
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
