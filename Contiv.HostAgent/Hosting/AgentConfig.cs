using Akka.Configuration;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Messages.Cluster;

namespace Contiv.HostAgent.Hosting;

/// <summary>
/// agent.hocon (embedded) with dataplane.hocon and cluster.hocon under it, an optional file on top, and the flags on top of that.
/// The node's own address and seeds are typed (<see cref="Remote"/>, <see cref="Seeds"/>) and reach Akka through
/// Akka.Hosting's options (<see cref="AgentSetup.WithAgentNode"/>), not through <see cref="Hocon"/>.
/// </summary>
public sealed record AgentConfig(Config Hocon, string Host, Ipv4 VtepIp, string? Uplink, string Ovsdb, string Bridge, string Socket,
    string? DockerSocket, string? DockerPluginSocket, string DockerState)
{
    /// <summary>Where the masters reach this agent.</summary>
    public required NodeAddress Remote { get; init; }

    /// <summary>The masters' cluster addresses (--seed, else akka.cluster.seed-nodes); at least one.</summary>
    public required IReadOnlyList<string> Seeds { get; init; }

    /// <summary>This agent's cluster certificate and the cluster CA: Akka.Remote runs over mutual TLS only.</summary>
    public required ClusterTls ClusterTls { get; init; }

    /// <summary>Cluster certificates that expire within <c>contiv.cluster.tls.expiry-warning</c>.</summary>
    public IReadOnlyList<string> ClusterTlsWarnings { get; init; } = [];

    public static string MissingCertificate =>
        "a cluster certificate is required: the masters admit only nodes with a certificate from the cluster's CA. Start the agent with " +
        $"{ClusterTlsFiles.Flags}; {ClusterTlsFiles.HowToMake} (a one-node master made its CA in DATA-DIR/cluster-tls: use --ca there)";

    public static AgentConfig Load(AgentOptions options)
    {
        var config = EmbeddedHocon.Load(typeof(AgentConfig).Assembly, "agent.hocon").WithFallback(DataplaneSettings.DefaultConfig).WithFallback(ClusterHocon.Shared);
        if (options.ConfigFile is not null) config = ConfigurationFactory.ParseString(File.ReadAllText(options.ConfigFile)).WithFallback(config);

        var host = options.Host ?? NonEmpty(config.GetRequiredString("contiv.agent.host")) ?? Environment.MachineName;
        var vtep = options.VtepIp ?? NonEmpty(config.GetRequiredString("contiv.agent.vtep-ip"))
                   ?? throw new AgentOptionsException($"--vtep-ip is required: the address other hosts' VXLAN tunnels reach this one at\n{AgentOptions.Usage}");
        IReadOnlyList<string> seeds = options.Seeds.Count > 0 ? options.Seeds : [.. config.GetStringList("akka.cluster.seed-nodes")];
        if (seeds.Count == 0) throw new AgentOptionsException($"--seed is required: the cluster address of a master (contiv-master prints it)\n{AgentOptions.Usage}");
        ClusterTls clusterTls;
        IReadOnlyList<string> clusterTlsWarnings;
        try
        {
            clusterTls = (ClusterTlsFiles.From(config, options.ClusterCert, options.ClusterKey, options.ClusterCertPassword, options.ClusterCa)
                          ?? throw new AgentOptionsException(MissingCertificate)).Load();
            clusterTlsWarnings = ClusterCertificateWatch.CheckAtStart(clusterTls, config);
        }
        catch (ClusterTlsException ex)
        {
            throw new AgentOptionsException(ex.Message);
        }

        return new AgentConfig(config, host, Ipv4.Parse(vtep),
            options.Uplink ?? NonEmpty(config.GetRequiredString("contiv.agent.uplink")),
            options.Ovsdb ?? config.GetRequiredString("contiv.agent.ovsdb"),
            options.Bridge ?? config.GetRequiredString("contiv.agent.bridge"),
            options.Socket ?? config.GetRequiredString("contiv.agent.socket"),
            options.DockerSocket ?? NonEmpty(config.GetRequiredString("contiv.agent.docker.socket")),
            options.DockerPluginSocket ?? NonEmpty(config.GetRequiredString("contiv.agent.docker.plugin-socket")),
            options.DockerState ?? config.GetRequiredString("contiv.agent.docker.state-file"))
        {
            Remote = NodeAddress.From(config, options.RemoteHost, options.RemotePort),
            Seeds = seeds,
            ClusterTls = clusterTls,
            ClusterTlsWarnings = clusterTlsWarnings,
        };
    }

    public DataplaneSettings Dataplane => DataplaneSettings.From(Hocon);
    public string DatapathType => Hocon.GetRequiredString("contiv.agent.datapath-type");
    public string OpenFlowListen => Hocon.GetRequiredString("contiv.agent.openflow-listen");
    public string SocketGroup => Hocon.GetRequiredString("contiv.agent.socket-group");
    public string OpenFlowConnect => Hocon.GetRequiredString("contiv.agent.openflow-connect");
    public int EndpointMtu => Hocon.GetRequiredInt("contiv.agent.endpoint-mtu");
    public TimeSpan MasterTimeout => Hocon.GetRequiredTimeSpan("contiv.agent.master-timeout");
    public TimeSpan FlowsTimeout => Hocon.GetRequiredTimeSpan("contiv.agent.flows-timeout");
    public TimeSpan ResubscribeAfter => Hocon.GetRequiredTimeSpan("contiv.agent.feed.resubscribe-after");
    public TimeSpan MastersLostAfter => Hocon.GetRequiredTimeSpan("contiv.agent.masters-lost-after");
    public bool DockerLogCalls => Hocon.GetRequiredBoolean("contiv.agent.docker.log-calls");
    public TimeSpan SilenceTimeout => Hocon.GetRequiredTimeSpan("contiv.agent.feed.silence-timeout");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
