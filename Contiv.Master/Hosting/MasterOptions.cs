using System.Net;

namespace Contiv.Master.Hosting;

/// <summary>The command line: <c>contiv-master [--listen ip:port] [--data-dir dir] [--fwd-mode bridge|routing] [--config file] [--remote-port n]</c>.</summary>
public sealed record MasterOptions(IPEndPoint? Listen, string? DataDir, string? FwdMode, string? ConfigFile, int? RemotePort, string? RemoteHost = null,
    string? Journal = null, string? ConnectionString = null)
{
    public const string Usage =
        "usage: contiv-master [--listen 127.0.0.1:9999] [--data-dir ./data] [--fwd-mode bridge|routing] [--config master.hocon] [--remote-port 0] [--remote-host 127.0.0.1]\n" +
        "                     [--journal sqlite|postgres] [--connection-string \"Host=...;Port=...;Username=...;Password=...;Database=...\"]";

    public static MasterOptions Parse(IReadOnlyList<string> args)
    {
        var options = new MasterOptions(null, null, null, null, null);
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help") throw new OptionsException(Usage);
            if (i + 1 >= args.Count) throw new OptionsException($"{flag} needs a value\n{Usage}");
            var value = args[++i];
            options = flag switch
            {
                "--listen" => options with { Listen = IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port > 0
                    ? endpoint : throw new OptionsException($"--listen {value}: expected ip:port, e.g. 127.0.0.1:9999") },
                "--data-dir" => options with { DataDir = value },
                "--fwd-mode" => options with { FwdMode = value is "bridge" or "routing"
                    ? value : throw new OptionsException($"--fwd-mode {value}: expected bridge or routing") },
                "--config" => options with { ConfigFile = File.Exists(value)
                    ? value : throw new OptionsException($"--config {value}: no such file") },
                "--remote-port" => options with { RemotePort = int.TryParse(value, out var port) && port is >= 0 and <= 65535
                    ? port : throw new OptionsException($"--remote-port {value}: expected 0..65535") },
                "--journal" => options with { Journal = value is "sqlite" or "postgres"
                    ? value : throw new OptionsException($"--journal {value}: expected sqlite or postgres") },
                "--connection-string" => options with { ConnectionString = value },
                "--remote-host" => options with { RemoteHost = IPAddress.TryParse(value, out _)
                    ? value : throw new OptionsException($"--remote-host {value}: expected the IP address other cluster nodes reach this master at") },
                _ => throw new OptionsException($"unknown option {flag}\n{Usage}"),
            };
        }
        return options;
    }
}

public sealed class OptionsException(string message) : Exception(message);
