using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;

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

    public static string Info(ActorSystem system, string listen)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var members = state.Members.ToList();
        var leader = state.RoleLeader("master");
        object Node(Member m) => new Dictionary<string, object>
        {
            ["address"] = m.Address.ToString(),
            ["status"] = state.Unreachable.Contains(m) ? "unreachable" : m.Status.ToString().ToLowerInvariant(),
            ["roles"] = m.Roles.ToArray(),
        };
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["local-ip"] = listen,
            ["local-address"] = cluster.SelfAddress.ToString(),
            ["leader-ip"] = leader?.ToString(),
            ["current-state"] = leader == cluster.SelfAddress ? "leader" : "follower",
            ["netmaster-nodes"] = members.Where(m => m.HasRole("master")).Select(Node).ToArray(),
            ["netplugin-nodes"] = members.Where(m => m.HasRole("agent")).Select(Node).ToArray(),
        });
    }
}
