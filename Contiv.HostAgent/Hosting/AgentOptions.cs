using System.Net;

namespace Contiv.HostAgent.Hosting;

/// <summary>
/// The command line: <c>contiv-agent --seed ADDR [--seed ADDR...] --host NAME --vtep-ip IP [--uplink IF]
/// [--ovsdb TARGET] [--bridge NAME] [--socket PATH] [--docker-socket PATH] [--docker-plugin-socket PATH] [--docker-state FILE]
/// [--remote-port N] [--config FILE] --cluster-cert FILE [--cluster-key FILE | --cluster-cert-password PASSWORD] --cluster-ca FILE</c>.
/// </summary>
public sealed record AgentOptions
{
    public const string Usage =
        "usage: contiv-agent --seed akka.ssl.tcp://contiv@HOST:PORT [--seed ...] --host NAME --vtep-ip IP [--uplink IF]\n" +
        "                    [--ovsdb unix:/var/run/openvswitch/db.sock] [--bridge contivbr] [--socket /run/contiv/contiv-agent.sock]\n" +
        "                    [--docker-socket /run/docker/plugins/contiv.sock] [--docker-plugin-socket /run/contiv/docker.sock]\n" +
        "                    [--docker-state /var/lib/contiv/docker-networks.json]\n" +
        "                    [--remote-port 0] [--remote-host 127.0.0.1] [--config agent.hocon]\n" +
        "                    --cluster-cert NODE.crt|NODE.pfx [--cluster-key NODE.key | --cluster-cert-password PASSWORD] --cluster-ca ca.crt";

    public IReadOnlyList<string> Seeds { get; init; } = [];
    public string? Host { get; init; }
    public string? VtepIp { get; init; }
    public string? Uplink { get; init; }
    public string? Ovsdb { get; init; }
    public string? Bridge { get; init; }
    public string? Socket { get; init; }
    public string? DockerSocket { get; init; }
    public string? DockerPluginSocket { get; init; }
    public string? DockerState { get; init; }
    public int? RemotePort { get; init; }
    public string? RemoteHost { get; init; }
    public string? ConfigFile { get; init; }
    public string? ClusterCert { get; init; }
    public string? ClusterKey { get; init; }
    public string? ClusterCertPassword { get; init; }
    public string? ClusterCa { get; init; }

    public static AgentOptions Parse(IReadOnlyList<string> args)
    {
        var options = new AgentOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help") throw new AgentOptionsException(Usage);
            if (i + 1 >= args.Count) throw new AgentOptionsException($"{flag} needs a value\n{Usage}");
            var value = args[++i];
            options = flag switch
            {
                "--seed" => options with { Seeds = [.. options.Seeds, value.StartsWith("akka.ssl.tcp://", StringComparison.Ordinal)
                    ? value : throw new AgentOptionsException($"--seed {value}: expected a master's cluster address (TLS: akka.ssl.tcp), e.g. akka.ssl.tcp://contiv@127.0.0.1:4053")] },
                "--host" => options with { Host = value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')
                    ? value : throw new AgentOptionsException($"--host {value}: 1-64 letters, digits, '-', '.' or '_'") },
                "--vtep-ip" => options with { VtepIp = IPAddress.TryParse(value, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    ? value : throw new AgentOptionsException($"--vtep-ip {value}: expected an IPv4 address") },
                "--uplink" => options with { Uplink = value },
                "--ovsdb" => options with { Ovsdb = value.StartsWith("unix:", StringComparison.Ordinal) || value.StartsWith("tcp:", StringComparison.Ordinal)
                    ? value : throw new AgentOptionsException($"--ovsdb {value}: expected unix:PATH or tcp:IP:PORT") },
                "--bridge" => options with { Bridge = value.Length is > 0 and <= 15
                    ? value : throw new AgentOptionsException($"--bridge {value}: an interface name of 1-15 characters") },
                "--socket" => options with { Socket = Path.IsPathFullyQualified(value)
                    ? value : throw new AgentOptionsException($"--socket {value}: expected an absolute path") },
                "--docker-socket" => options with { DockerSocket = Absolute(flag, value) },
                "--docker-plugin-socket" => options with { DockerPluginSocket = Absolute(flag, value) },
                "--docker-state" => options with { DockerState = Absolute(flag, value) },
                "--remote-port" => options with { RemotePort = int.TryParse(value, out var port) && port is >= 0 and <= 65535
                    ? port : throw new AgentOptionsException($"--remote-port {value}: expected 0..65535") },
                "--remote-host" => options with { RemoteHost = IPAddress.TryParse(value, out _)
                    ? value : throw new AgentOptionsException($"--remote-host {value}: expected the IP address the masters reach this agent at") },
                "--config" => options with { ConfigFile = File.Exists(value) ? value : throw new AgentOptionsException($"--config {value}: no such file") },
                "--cluster-cert" => options with { ClusterCert = ExistingFile(flag, value) },
                "--cluster-key" => options with { ClusterKey = ExistingFile(flag, value) },
                "--cluster-cert-password" => options with { ClusterCertPassword = value },
                "--cluster-ca" => options with { ClusterCa = ExistingFile(flag, value) },
                _ => throw new AgentOptionsException($"unknown option {flag}\n{Usage}"),
            };
        }
        return options;
    }

    private static string ExistingFile(string flag, string value) =>
        File.Exists(value) ? value : throw new AgentOptionsException($"{flag} {value}: no such file");

    private static string Absolute(string flag, string value) =>
        Path.IsPathFullyQualified(value) ? value : throw new AgentOptionsException($"{flag} {value}: expected an absolute path");
}

public sealed class AgentOptionsException(string message) : Exception(message);
