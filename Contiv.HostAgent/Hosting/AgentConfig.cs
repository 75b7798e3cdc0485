using System.Globalization;
using Akka.Configuration;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.HostAgent.Hosting;

/// <summary>agent.hocon (embedded) with dataplane.hocon and cluster.hocon under it, an optional file on top, and the flags on top of that.</summary>
public sealed record AgentConfig(Config Hocon, string Host, Ipv4 VtepIp, string? Uplink, string Ovsdb, string Bridge, string Socket,
    string? DockerSocket = null, string? DockerPluginSocket = null, string DockerState = "/var/lib/contiv/docker-networks.json")
{
    public static AgentConfig Load(AgentOptions options)
    {
        var config = Embedded("agent.hocon").WithFallback(DataplaneSettings.DefaultConfig).WithFallback(Contiv.Messages.Cluster.ClusterHocon.Shared);
        if (options.ConfigFile is not null) config = ConfigurationFactory.ParseString(File.ReadAllText(options.ConfigFile)).WithFallback(config);

        var host = options.Host ?? NonEmpty(config.GetString("contiv.agent.host")) ?? Environment.MachineName;
        var vtep = options.VtepIp ?? NonEmpty(config.GetString("contiv.agent.vtep-ip"))
                   ?? throw new AgentOptionsException($"--vtep-ip is required: the address other hosts' VXLAN tunnels reach this one at\n{AgentOptions.Usage}");
        IReadOnlyList<string> seeds = options.Seeds.Count > 0 ? options.Seeds : [.. config.GetStringList("akka.cluster.seed-nodes")];
        if (seeds.Count == 0) throw new AgentOptionsException($"--seed is required: the cluster address of a master (contiv-master prints it)\n{AgentOptions.Usage}");

        var overrides = $$"""
            akka.remote.dot-netty.tcp.hostname = "{{options.RemoteHost ?? config.GetString("akka.remote.dot-netty.tcp.hostname")}}"
            akka.remote.dot-netty.tcp.port = {{(options.RemotePort ?? config.GetInt("akka.remote.dot-netty.tcp.port")).ToString(CultureInfo.InvariantCulture)}}
            akka.cluster.seed-nodes = [{{string.Join(", ", seeds.Select(s => $"\"{s}\""))}}]
            """;
        config = ConfigurationFactory.ParseString(overrides).WithFallback(config);
        return new AgentConfig(config, host, Ipv4.Parse(vtep),
            options.Uplink ?? NonEmpty(config.GetString("contiv.agent.uplink")),
            options.Ovsdb ?? config.GetString("contiv.agent.ovsdb"),
            options.Bridge ?? config.GetString("contiv.agent.bridge"),
            options.Socket ?? config.GetString("contiv.agent.socket"),
            options.DockerSocket ?? NonEmpty(config.GetString("contiv.agent.docker.socket")),
            options.DockerPluginSocket ?? NonEmpty(config.GetString("contiv.agent.docker.plugin-socket")),
            options.DockerState ?? config.GetString("contiv.agent.docker.state-file"));
    }

    public DataplaneSettings Dataplane => DataplaneSettings.From(Hocon);
    public string DatapathType => Hocon.GetString("contiv.agent.datapath-type", "netdev");
    public string OpenFlowListen => Hocon.GetString("contiv.agent.openflow-listen");
    public string OpenFlowConnect => Hocon.GetString("contiv.agent.openflow-connect");
    public int EndpointMtu => Hocon.GetInt("contiv.agent.endpoint-mtu", 1450);
    public TimeSpan MasterTimeout => Hocon.GetTimeSpan("contiv.agent.master-timeout", TimeSpan.FromSeconds(10));
    public TimeSpan FlowsTimeout => Hocon.GetTimeSpan("contiv.agent.flows-timeout", TimeSpan.FromSeconds(10));
    public TimeSpan ResubscribeAfter => Hocon.GetTimeSpan("contiv.agent.feed.resubscribe-after", TimeSpan.FromSeconds(3));
    public TimeSpan MastersLostAfter => Hocon.GetTimeSpan("contiv.agent.masters-lost-after", TimeSpan.FromSeconds(10));
    public bool DockerLogCalls => Hocon.GetBoolean("contiv.agent.docker.log-calls", true);
    public TimeSpan SilenceTimeout => Hocon.GetTimeSpan("contiv.agent.feed.silence-timeout", TimeSpan.FromSeconds(5));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static Config Embedded(string name)
    {
        using var stream = typeof(AgentConfig).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"{name} is not embedded in contiv-agent");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
