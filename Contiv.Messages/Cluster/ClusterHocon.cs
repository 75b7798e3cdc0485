using Akka.Configuration;

namespace Contiv.Messages.Cluster;

/// <summary>cluster.hocon: the settings masters and agents must share (serializers, failure detection, split brain resolver, shard counts).</summary>
public static class ClusterHocon
{
    public static Config Shared { get; } = EmbeddedHocon.Load(typeof(ClusterHocon).Assembly, "cluster.hocon");

    /// <summary>Shards of the global, tenant and pool regions.</summary>
    public static int MaxShards(Config config) => config.GetRequiredInt("contiv.cluster.max-shards");

    /// <summary>Shards of the endpoint region.</summary>
    public static int EndpointShards(Config config) => config.GetRequiredInt("contiv.cluster.endpoint-shards");
}
