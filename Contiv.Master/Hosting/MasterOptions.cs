using System.Collections;
using System.Net;

namespace Contiv.Master.Hosting;

/// <summary>
/// The command line, with environment variables under it: each flag <c>--some-flag</c> may also be given as
/// <c>CONTIV_MASTER_SOME_FLAG</c> (<c>CONTIV_MASTER_SEED</c> takes a comma-separated list). A flag wins over its variable.
/// </summary>
public sealed record MasterOptions(IPEndPoint? Listen, string? DataDir, string? FwdMode, string? ConfigFile, int? RemotePort, string? RemoteHost = null,
    string? Journal = null, string? ConnectionString = null, string? ClusterCert = null, string? ClusterKey = null, string? ClusterCertPassword = null,
    string? ClusterCa = null)
{
    public const string EnvironmentPrefix = "CONTIV_MASTER_";

    public const string Usage =
        "usage: contiv-master [--listen 127.0.0.1:9999] [--data-dir ./data] [--fwd-mode bridge|routing] [--config master.hocon]\n" +
        "                     [--remote-host 127.0.0.1] [--remote-port 0] [--seed akka.ssl.tcp://contiv@HOST:PORT ...]\n" +
        "                     [--journal sqlite|postgres] [--connection-string \"Host=...;Port=...;Username=...;Password=...;Database=...\"]\n" +
        "                     [--secure-listen IP:PORT] [--tls-cert cert.pem --tls-key key.pem] [--admin-password ...]\n" +
        "                     [--cluster-cert NODE.crt|NODE.pfx] [--cluster-key NODE.key] [--cluster-cert-password PASSWORD] [--cluster-ca ca.crt]\n" +
        "       contiv-master certs init --out DIR | certs node --ca DIR --name NODE --out DIR   (the cluster's certificates)\n" +
        "       every flag can also be set in the environment: --connection-string as CONTIV_MASTER_CONNECTION_STRING,\n" +
        "       --seed as CONTIV_MASTER_SEED (comma-separated)";

    private static readonly string[] Flags =
        ["--listen", "--data-dir", "--fwd-mode", "--config", "--remote-port", "--remote-host", "--journal", "--connection-string", "--seed",
         "--secure-listen", "--tls-cert", "--tls-key", "--admin-password",
         "--cluster-cert", "--cluster-key", "--cluster-cert-password", "--cluster-ca"];

    /// <summary>--secure-listen: the TLS listener, where every request needs a token.</summary>
    public IPEndPoint? SecureListen { get; init; }

    /// <summary>--tls-cert / --tls-key: PEM files for the secure listener (else a self-signed one in the data directory).</summary>
    public string? TlsCertificate { get; init; }
    public string? TlsKey { get; init; }

    /// <summary>--admin-password (better: CONTIV_MASTER_ADMIN_PASSWORD, which ps does not show): the first admin's password.</summary>
    public string? AdminPassword { get; init; }

    /// <summary>The other masters' cluster addresses (<c>akka.cluster.seed-nodes</c>); empty for a master of its own.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    public static MasterOptions Parse(IReadOnlyList<string> args) => Parse(args, Environment.GetEnvironmentVariables());

    public static MasterOptions Parse(IReadOnlyList<string> args, IDictionary environment)
    {
        var options = new MasterOptions(null, null, null, null, null);
        foreach (var flag in Flags)
        {
            var name = EnvironmentPrefix + flag[2..].Replace('-', '_').ToUpperInvariant();
            if (environment[name] is not string value || value.Length == 0) continue;
            var values = flag == "--seed" ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [value];
            foreach (var one in values) options = options.With(flag, one, $"{name}={one}");
        }

        var seedsFromFlags = false;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help") throw new OptionsException(Usage);
            if (!Flags.Contains(flag)) throw new OptionsException($"unknown option {flag}\n{Usage}");
            if (i + 1 >= args.Count) throw new OptionsException($"{flag} needs a value\n{Usage}");
            if (flag == "--seed" && !seedsFromFlags)
            {
                // Seeds on the command line replace those of the environment rather than adding to them.
                seedsFromFlags = true;
                options = options with { Seeds = [] };
            }
            var value = args[++i];
            options = options.With(flag, value, $"{flag} {value}");
        }
        return options;
    }

    private MasterOptions With(string flag, string value, string given) => flag switch
    {
        "--listen" => this with { Listen = IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port > 0
            ? endpoint : throw new OptionsException($"{given}: expected ip:port, e.g. 127.0.0.1:9999") },
        "--data-dir" => this with { DataDir = value },
        "--fwd-mode" => this with { FwdMode = value is "bridge" or "routing"
            ? value : throw new OptionsException($"{given}: expected bridge or routing") },
        "--config" => this with { ConfigFile = File.Exists(value)
            ? value : throw new OptionsException($"{given}: no such file") },
        "--remote-port" => this with { RemotePort = int.TryParse(value, out var port) && port is >= 0 and <= 65535
            ? port : throw new OptionsException($"{given}: expected 0..65535") },
        "--journal" => this with { Journal = value is "sqlite" or "postgres"
            ? value : throw new OptionsException($"{given}: expected sqlite or postgres") },
        "--connection-string" => this with { ConnectionString = value },
        "--secure-listen" => this with { SecureListen = IPEndPoint.TryParse(value, out var secure) && secure.Port > 0
            ? secure : throw new OptionsException($"{given}: expected ip:port, e.g. 10.0.0.1:10000") },
        "--tls-cert" => this with { TlsCertificate = ExistingFile(given, value) },
        "--tls-key" => this with { TlsKey = ExistingFile(given, value) },
        "--admin-password" => this with { AdminPassword = value },
        "--cluster-cert" => this with { ClusterCert = ExistingFile(given, value) },
        "--cluster-key" => this with { ClusterKey = ExistingFile(given, value) },
        "--cluster-cert-password" => this with { ClusterCertPassword = value },
        "--cluster-ca" => this with { ClusterCa = ExistingFile(given, value) },
        "--remote-host" => this with { RemoteHost = IPAddress.TryParse(value, out _)
            ? value : throw new OptionsException($"{given}: expected the IP address other cluster nodes reach this master at") },
        "--seed" => this with { Seeds = [.. Seeds, SeedAddress.IsValid(value)
            ? value : throw new OptionsException($"{given}: expected a master's cluster address (TLS: akka.ssl.tcp), e.g. akka.ssl.tcp://contiv@10.0.0.1:4053")] },
        _ => throw new OptionsException($"unknown option {flag}\n{Usage}"),
    };

    private static string ExistingFile(string given, string value) => File.Exists(value) ? value : throw new OptionsException($"{given}: no such file");
}

/// <summary>A cluster address as Akka.Remote writes it: <c>akka.ssl.tcp://contiv@host:port</c>.</summary>
public static class SeedAddress
{
    public static bool IsValid(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == "akka.ssl.tcp" && uri.UserInfo == "contiv"
        && uri.Port is > 0 and <= 65535 && uri.AbsolutePath is "" or "/" && !value.EndsWith('/');
}

public sealed class OptionsException(string message) : Exception(message);
