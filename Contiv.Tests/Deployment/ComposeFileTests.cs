using Contiv.Lab;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using Npgsql;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Contiv.Tests.Deployment;

/// <summary>
/// docker-compose.yml at the repository root. No image registry is reachable here, so its images are
/// never built or run by the tests: what is checked is that docker-compose accepts the file and that
/// the configuration it resolves is the cluster the README describes. PostgreSQL, three masters that
/// all seed from all three at their fixed addresses on the Akka port, two agents seeding from those
/// masters.
/// </summary>
[Trait("Category", "Compose")]
public sealed class ComposeFileTests
{
    private const int ClusterPort = 4053;
    private static readonly string ComposeFile = Path.Combine(LabPaths.RepositoryRoot(), "docker-compose.yml");

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var (code, stdout, stderr) = await ComposeAsync("config", "-q");
        Assert.True(code == 0, $"docker-compose config -q rejected {ComposeFile} ({code}):\n{stdout}{stderr}");
    }

    [Fact]
    public async Task It_runs_postgres_three_masters_seeding_from_all_three_and_two_agents_seeding_from_the_masters()
    {
        var services = await ResolvedServicesAsync();

        var postgres = Assert.Single(services, s => Scalar(s.Value, "image")?.StartsWith("postgres:", StringComparison.Ordinal) == true);
        var masters = services.Where(s => Dockerfile(s.Value) == "docker/master.Dockerfile").ToList();
        var agents = services.Where(s => Dockerfile(s.Value) == "docker/agent.Dockerfile").ToList();
        Assert.Equal(3, masters.Count);
        Assert.Equal(2, agents.Count);
        Assert.Equal(services.Count, 1 + masters.Count + agents.Count);

        // Cluster addresses are IP literals: the masters' must be fixed, distinct and inside their network.
        var networks = await ResolvedNetworksAsync();
        var masterIps = masters.ToDictionary(m => m.Key, m => Assert.Single(StaticAddresses(m.Key, m.Value, networks)).Address);
        Assert.Equal(masters.Count, masterIps.Values.Distinct().Count());
        var clusterNetwork = Assert.Single(masters.Select(m => Assert.Single(StaticAddresses(m.Key, m.Value, networks)).Network).Distinct());
        var seeds = masterIps.Values.Select(ip => $"akka.ssl.tcp://contiv@{ip}:{ClusterPort}").Order(StringComparer.Ordinal).ToList();

        var postgresEnvironment = EnvironmentOf(postgres.Value);
        foreach (var (name, master) in masters)
        {
            var environment = EnvironmentOf(master);
            // One list, the same for every master, so that the first seed up forms the cluster and the rest join it.
            Assert.Equal(seeds, environment["CONTIV_MASTER_SEED"].Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList());
            Assert.Equal(masterIps[name].ToString(), environment["CONTIV_MASTER_REMOTE_HOST"]);
            Assert.Equal(ClusterPort.ToString(System.Globalization.CultureInfo.InvariantCulture), environment["CONTIV_MASTER_REMOTE_PORT"]);
            Assert.Equal("postgres", environment["CONTIV_MASTER_JOURNAL"]);
            ClusterCertificate(name, master, environment["CONTIV_MASTER_CLUSTER_CERT"], environment["CONTIV_MASTER_CLUSTER_KEY"], environment["CONTIV_MASTER_CLUSTER_CA"]);

            var connection = new NpgsqlConnectionStringBuilder(environment["CONTIV_MASTER_CONNECTION_STRING"]);
            Assert.True(connection.Host == postgres.Key || connection.Host == StaticAddresses(postgres.Key, postgres.Value, networks).FirstOrDefault().Address?.ToString(),
                $"{name} reaches PostgreSQL at {connection.Host}, not the {postgres.Key} service");
            Assert.Equal(postgresEnvironment["POSTGRES_USER"], connection.Username);
            Assert.Equal(postgresEnvironment["POSTGRES_PASSWORD"], connection.Password);
            Assert.Equal(postgresEnvironment["POSTGRES_DB"], connection.Database);

            // The master exits 1 without PostgreSQL and 3 once the split brain resolver removed it: both need a restart.
            Assert.Contains(Scalar(master, "restart"), new[] { "always", "unless-stopped", "on-failure" });
            var dependsOn = Assert.IsType<YamlMappingNode>(master.Children[new YamlScalarNode("depends_on")]);
            Assert.Equal("service_healthy", Scalar(Assert.IsType<YamlMappingNode>(dependsOn.Children[new YamlScalarNode(postgres.Key)]), "condition"));
        }
        Assert.True(postgres.Value.Children.ContainsKey(new YamlScalarNode("healthcheck")), "service_healthy needs a healthcheck on postgres");

        var agentIps = new HashSet<IPAddress>();
        foreach (var (name, agent) in agents)
        {
            var flags = Flags(Command(agent));
            Assert.Equal(seeds, flags.Where(f => f.Flag == "--seed").Select(f => f.Value).Order(StringComparer.Ordinal).ToList());
            var remoteHost = IPAddress.Parse(Assert.Single(flags, f => f.Flag == "--remote-host").Value);
            var addresses = StaticAddresses(name, agent, networks);
            Assert.Contains((clusterNetwork, remoteHost), addresses);
            Assert.True(agentIps.Add(remoteHost), $"{name}: {remoteHost} is another agent's address");
            Assert.DoesNotContain(remoteHost, masterIps.Values);
            var vtep = IPAddress.Parse(Assert.Single(flags, f => f.Flag == "--vtep-ip").Value);
            Assert.Contains(vtep, addresses.Select(a => a.Address));
            Assert.Single(flags, f => f.Flag == "--host");
            ClusterCertificate(name, agent, Assert.Single(flags, f => f.Flag == "--cluster-cert").Value,
                Assert.Single(flags, f => f.Flag == "--cluster-key").Value, Assert.Single(flags, f => f.Flag == "--cluster-ca").Value);
        }
        // One cluster CA for all, and a certificate of its own for each node.
        Assert.Single(_authorities.Distinct());
        Assert.Equal(masters.Count + agents.Count, _certificates.Distinct().Count());
    }

    private readonly List<string> _authorities = [];
    private readonly List<string> _certificates = [];

    /// <summary>Cluster traffic is mutual TLS only: each node names its certificate, key and the CA, inside a volume it mounts.</summary>
    private void ClusterCertificate(string service, YamlMappingNode node, string certificate, string key, string authority)
    {
        Assert.Equal($"/certs/{service}.crt", certificate);
        Assert.Equal($"/certs/{service}.key", key);
        var mounts = ((YamlSequenceNode)node.Children[new YamlScalarNode("volumes")]).Children.Select(Target).ToList();
        foreach (var file in new[] { certificate, key, authority })
            Assert.True(mounts.Any(m => file.StartsWith(m + "/", StringComparison.Ordinal)), $"{service}: {file} is in no volume it mounts ({string.Join(", ", mounts)})");
        _authorities.Add(authority);
        _certificates.Add(certificate);
    }

    /// <summary>Where a volume is mounted in the container, whether the resolved file writes it short (src:dst:ro) or long (target:).</summary>
    private static string Target(YamlNode volume) => volume switch
    {
        YamlScalarNode text => text.Value!.Split(':')[1],
        YamlMappingNode map => Scalar(map, "target")!,
        _ => throw new InvalidDataException($"volume: {volume}"),
    };

    private static async Task<List<KeyValuePair<string, YamlMappingNode>>> ResolvedServicesAsync() =>
        [.. Mapping(await ResolvedAsync(), "services").Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value))];

    private static async Task<YamlMappingNode> ResolvedNetworksAsync() => Mapping(await ResolvedAsync(), "networks");

    private static async Task<YamlMappingNode> ResolvedAsync()
    {
        var (code, stdout, stderr) = await ComposeAsync("config");
        Assert.True(code == 0, $"docker-compose config failed ({code}):\n{stderr}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(stdout));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>Each (network, fixed address) of a service, checked to lie inside that network's subnet.</summary>
    private static List<(string Network, IPAddress Address)> StaticAddresses(string service, YamlMappingNode node, YamlMappingNode networks)
    {
        var result = new List<(string, IPAddress)>();
        if (!node.Children.TryGetValue(new YamlScalarNode("networks"), out var attached)) return result;
        foreach (var (key, value) in ((YamlMappingNode)attached).Children)
        {
            var network = ((YamlScalarNode)key).Value!;
            if (value is not YamlMappingNode settings || Scalar(settings, "ipv4_address") is not { } text) continue;
            var address = IPAddress.Parse(text);
            var subnets = ((YamlSequenceNode)Mapping(Mapping(networks, network), "ipam").Children[new YamlScalarNode("config")])
                .Cast<YamlMappingNode>().Select(c => IPNetwork.Parse(Scalar(c, "subnet")!)).ToList();
            Assert.True(subnets.Any(s => s.Contains(address)), $"{service}: {address} is outside network {network}'s subnets");
            result.Add((network, address));
        }
        return result;
    }

    private static string? Dockerfile(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("build"), out var build) && build is YamlMappingNode b ? Scalar(b, "dockerfile") : null;

    /// <summary>The environment, whether the resolved file lists it as a mapping or as NAME=value lines.</summary>
    private static Dictionary<string, string> EnvironmentOf(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var node)) return [];
        return node switch
        {
            YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? ""),
            YamlSequenceNode list => list.Cast<YamlScalarNode>().Select(s => s.Value!.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
            _ => throw new InvalidDataException($"environment: {node}"),
        };
    }

    private static List<string> Command(YamlMappingNode service) =>
        service.Children[new YamlScalarNode("command")] switch
        {
            YamlSequenceNode list => [.. list.Cast<YamlScalarNode>().Select(s => s.Value!)],
            YamlScalarNode text => [.. text.Value!.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            var other => throw new InvalidDataException($"command: {other}"),
        };

    /// <summary>contiv-agent's flags as it parses them: "--flag value" pairs, nothing else.</summary>
    private static List<(string Flag, string Value)> Flags(List<string> args)
    {
        Assert.True(args.Count % 2 == 0, $"contiv-agent takes --flag value pairs: {string.Join(' ', args)}");
        return [.. args.Chunk(2).Select(p =>
        {
            Assert.StartsWith("--", p[0], StringComparison.Ordinal);
            return (p[0], p[1]);
        })];
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static async Task<(int Code, string Stdout, string Stderr)> ComposeAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-f", ComposeFile, .. args]) psi.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Win32Exception ex)
        {
            // Not a skip: without docker-compose nothing checks the file the README tells people to run.
            Assert.Fail($"docker-compose is not installed ({ex.Message}): apt-get install docker-compose");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                Assert.Fail("docker-compose did not answer within 60 s");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
    }

}
