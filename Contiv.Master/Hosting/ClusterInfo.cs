using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Contiv.Messages.Cluster;

namespace Contiv.Master.Hosting;

/// <summary><c>/info</c> and <c>/version</c>, from cluster membership as gossip sees it.</summary>
public static class ClusterInfo
{
    public static string Version => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["Version"] = typeof(ClusterInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0",
        ["GitCommit"] = "unknown",
        ["BuildTime"] = File.GetLastWriteTimeUtc(typeof(ClusterInfo).Assembly.Location).ToString("O"),
    });

    /// <summary>As <see cref="Info(ActorSystem, string, IReadOnlyList{Contiv.Messages.Feed.HostView}?)"/>, with the agents' hosts from the state feed (left out if it does not answer).</summary>
    public static async Task<string> InfoAsync(ActorSystem system, string listen, IActorRef feed)
    {
        IReadOnlyList<Contiv.Messages.Feed.HostView>? hosts = null;
        try
        {
            hosts = (await feed.Ask<Contiv.Messages.Feed.FeedHosts>(new Contiv.Messages.Feed.GetFeedHosts(), TimeSpan.FromSeconds(2))).Hosts;
        }
        catch (AskTimeoutException)
        {
        }
        var info = System.Text.Json.Nodes.JsonNode.Parse(Info(system, listen, hosts))!.AsObject();
        info["local-entities"] = await LocalEntities(system);
        return info.ToJsonString();
    }

    /// <summary>
    /// How many entities of each region run on this master: what a stream of requests for objects that do
    /// not exist must leave unchanged. A region that does not answer in time is left out.
    /// </summary>
    private static async Task<System.Text.Json.Nodes.JsonObject> LocalEntities(ActorSystem system)
    {
        var counts = new System.Text.Json.Nodes.JsonObject();
        var sharding = ClusterSharding.Get(system);
        foreach (var region in new[] { ClusterNames.Regions.Global, ClusterNames.Regions.Tenant, ClusterNames.Regions.Pool, ClusterNames.Regions.Endpoint })
        {
            try
            {
                var state = await sharding.ShardRegion(region).Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(2));
                counts[region] = state.Shards.Sum(shard => shard.EntityIds.Count);
            }
            catch (AskTimeoutException)
            {
            }
        }
        return counts;
    }

    public static string Info(ActorSystem system, string listen, IReadOnlyList<Contiv.Messages.Feed.HostView>? hosts = null)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var leader = state.RoleLeader(ClusterNames.Roles.Master);
        return new System.Text.Json.Nodes.JsonObject
        {
            ["local-ip"] = listen,
            ["local-address"] = cluster.SelfAddress.ToString(),
            ["leader-ip"] = leader?.ToString(),
            ["current-state"] = leader == cluster.SelfAddress ? "leader" : "follower",
            ["netmaster-nodes"] = Views.NodeViews.Members(state, hosts, ClusterNames.Roles.Master),
            ["netplugin-nodes"] = Views.NodeViews.Members(state, hosts, ClusterNames.Roles.Agent),
        }.ToJsonString();
    }
}
