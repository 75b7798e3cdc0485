using System.Text.Json;
using System.Buffers.Binary;
using System.Net;

namespace Contiv.Lab;

/// <summary>
/// A lab host whose agent serves the Docker driver as a legacy plugin (a uniquely named socket in
/// /run/docker/plugins), and a private dockerd in that host's network namespace, so the interfaces the
/// agent leaves for dockerd are there for it to move into containers.
/// </summary>
public sealed class DockerLab : IAsyncDisposable
{
    public ClusterLab Lab { get; }
    public DockerSandbox Docker { get; private set; }
    public string Driver { get; }
    public string Socket { get; }
    public string StateFile { get; }
    public string Image { get; private set; } = "";

    private readonly string _directory;

    private DockerLab(ClusterLab lab, DockerSandbox docker, string driver, string socket, string directory)
    {
        Lab = lab;
        Docker = docker;
        Driver = driver;
        Socket = socket;
        _directory = directory;
        StateFile = Path.Combine(directory, "docker-networks.json");
    }

    public LabHost Host => Lab.Hosts[0];

    /// <summary>The directory of the agent's socket and network map (a managed plugin mounts it).</summary>
    public string AgentDirectory => _directory;

    /// <param name="managedPlugin">false: the agent serves the legacy plugin <see cref="Driver"/> (local scope) in
    /// /run/docker/plugins; true: the socket a managed plugin forwards to (global scope), in <see cref="AgentDirectory"/>,
    /// and the caller installs the plugin (docker/plugin/build.sh) under the name <see cref="Driver"/></param>
    public static async Task<DockerLab> StartAsync(bool managedPlugin = false)
    {
        var driver = "contiv-t" + Guid.NewGuid().ToString("N")[..8];
        // Short: unix socket paths hold at most 108 bytes.
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath().Length <= 40 ? Path.GetTempPath() : "/tmp/", driver)).FullName;
        var socket = managedPlugin ? Path.Combine(directory, "docker.sock") : $"/run/docker/plugins/{driver}.sock";
        var lab = await ClusterLab.StartAsync(hosts: 1, agentArguments: _ =>
            [managedPlugin ? "--docker-plugin-socket" : "--docker-socket", socket, "--docker-state", Path.Combine(directory, "docker-networks.json")]);
        try
        {
            var docker = await DockerSandbox.StartAsync(lab.Hosts[0].Namespace);
            var ready = new DockerLab(lab, docker, driver, socket, directory);
            ready.Image = await docker.BusyboxImageAsync();
            return ready;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a docker command that must succeed; answers its output, trimmed.</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        var (code, output) = await Docker.Docker(args);
        if (code != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)}: exit {code}\n{output}");
        return output.Trim();
    }

    public Task<(int ExitCode, string Output)> TryAsync(params string[] args) => Docker.Docker(args);

    /// <summary>A detached busybox on <paramref name="network"/> that sleeps; answers its address there.</summary>
    public async Task<string> StartContainerAsync(string name, string network)
    {
        await RunAsync("run", "-d", "--name", name, "--network", network, Image, "sleep", "600");
        return await AddressAsync(name, network);
    }

    public async Task<string> AddressAsync(string container, string network) =>
        await RunAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container);

    public async Task<bool> PingsAsync(string from, string ip) =>
        (await Docker.Docker("exec", from, "ping", "-c", "2", "-W", "2", ip)).ExitCode == 0;

    /// <summary>The network's Oper section (REST inspect): allocatedIPAddresses, numEndpoints.</summary>
    public async Task<JsonElement> NetworkOperAsync(string key = "default:n1")
    {
        using var response = await Lab.Rest.GetAsync($"/api/v1/inspect/networks/{key}/");
        var body = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(response.Content);
        return body.GetProperty("Oper");
    }

    /// <summary>numEndpoints of the network's inspect (left out when 0, as the original does).</summary>
    public async Task<int> EndpointCountAsync(string key = "default:n1") =>
        (await NetworkOperAsync(key)).TryGetProperty("numEndpoints", out var count) ? count.GetInt32() : 0;

    /// <summary>The network's allocated addresses, one by one (inspect writes runs as a-b).</summary>
    public async Task<IReadOnlyList<string>> AllocatedAsync(string key = "default:n1")
    {
        var text = (await NetworkOperAsync(key)).GetProperty("allocatedIPAddresses").GetString() ?? "";
        var addresses = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-');
            var (first, last) = (ToNumber(ends[0]), ToNumber(ends[^1]));
            for (var a = first; a <= last; a++) addresses.Add(ToText(a));
        }
        return addresses;
    }

    private static uint ToNumber(string address) => BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(address).GetAddressBytes());

    private static string ToText(uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Docker.DisposeAsync();
        await Lab.DisposeAsync();
        if (File.Exists(Socket)) File.Delete(Socket);
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
