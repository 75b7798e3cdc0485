using Akka.Configuration;

namespace Contiv.Messages.Cluster;

/// <summary>Where this node listens for the rest of the cluster: a flag (--remote-host, --remote-port) when given, else akka.remote.dot-netty.tcp.</summary>
public sealed record NodeAddress(string HostName, int Port)
{
    public static NodeAddress From(Config config, string? hostName = null, int? port = null) => new(
        hostName ?? config.GetRequiredString("akka.remote.dot-netty.tcp.hostname"),
        port ?? config.GetRequiredInt("akka.remote.dot-netty.tcp.port"));
}
