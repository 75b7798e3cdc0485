using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Contiv.Lab;

/// <summary>One host of the lab: its namespace, ovs-vswitchd and contiv-agent, and a client of the agent's local API.</summary>
public sealed class LabHost : IAsyncDisposable
{
    private readonly ClusterLab _lab;
    private LabProcess? _agent;

    public int Index { get; }
    public string Name => $"h{Index}";
    public string Namespace { get; }
    public string ManagementAddress { get; }
    public string Vtep { get; }
    public OvsSandbox Ovs { get; }
    public string AgentSocket { get; }
    public int AgentPort { get; }
    public HttpClient Agent { get; }
    public LabProcess AgentProcess => _agent ?? throw new InvalidOperationException("the agent is not running");

    /// <summary>The agent's PID (the dotnet process itself: `ip netns exec` execs it), null when none was started.</summary>
    public int? AgentPid => _agent?.Pid;

    /// <summary>The agent's integration bridge (its default name).</summary>
    public const string Bridge = "contivbr";

    private readonly IReadOnlyList<string> _agentArguments;

    internal LabHost(ClusterLab lab, int index, string ns, string managementAddress, string vtep, OvsSandbox ovs, string agentSocket, int agentPort,
        IReadOnlyList<string> agentArguments)
    {
        _agentArguments = agentArguments;
        _lab = lab;
        Index = index;
        Namespace = ns;
        ManagementAddress = managementAddress;
        Vtep = vtep;
        Ovs = ovs;
        AgentSocket = agentSocket;
        AgentPort = agentPort;
        Agent = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(AgentSocket), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://agent"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task StartAgentAsync()
    {
        _agent = await LabProcess.StartAsync($"contiv-agent {Name}",
            ["ip", "netns", "exec", Namespace, "dotnet", Path.Combine(ClusterLab.BinaryDirectory, "contiv-agent.dll"),
             .. _lab.Seeds.SelectMany(seed => new[] { "--seed", seed }), "--host", Name, "--vtep-ip", Vtep, "--remote-host", ManagementAddress,
             "--remote-port", AgentPort.ToString(CultureInfo.InvariantCulture), "--ovsdb", Ovs.DbTarget, "--bridge", Bridge, "--socket", AgentSocket,
             .. ClusterCertificates.Flags($"agent-{Name}"), .. _agentArguments],
            "contiv-agent ready", TimeSpan.FromSeconds(90));
    }

    /// <summary>A "container" for this host: a namespace of its own with lo up; answers its path (/var/run/netns/NAME) for the local API.</summary>
    public async Task<string> AddContainerAsync() => ClusterLab.NetnsPath(await _lab.AddContainerAsync());

    /// <summary>The PIDs of this host's ovsdb-server and ovs-vswitchd (from their pidfiles).</summary>
    public IEnumerable<int> OvsPids() =>
        new[] { "ovsdb-server.pid", "ovs-vswitchd.pid" }
            .Select(f => Path.Combine(Ovs.Directory, f))
            .Where(File.Exists)
            .Select(f => int.TryParse(File.ReadAllText(f).Trim(), out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>kill -9 of the agent; the switch keeps its flows.</summary>
    public Task KillAgentHardAsync() => AgentProcess.KillHardAsync();

    public async Task RestartAgentAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        _agent = null;
        await StartAgentAsync();
    }

    /// <summary>POST /v1/endpoints; returns the status and the JSON answer.</summary>
    public async Task<(int Status, System.Text.Json.JsonElement Body)> CreateEndpointAsync(object request)
    {
        using var response = await Agent.PostAsJsonAsync("/v1/endpoints", request);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>());
    }

    public async Task<(int Status, System.Text.Json.JsonElement Body)> DeleteEndpointAsync(string id)
    {
        using var response = await Agent.DeleteAsync($"/v1/endpoints/{id}");
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>());
    }

    /// <summary>The flows of the agent's bridge, one line each, without statistics.</summary>
    public async Task<IReadOnlyList<string>> FlowsAsync() =>
        [.. (await Ovs.Ofctl("dump-flows", Bridge, "--no-stats")).Split('\n').Where(l => l.Contains("priority=", StringComparison.Ordinal)).Select(l => l.Trim())];

    public async ValueTask DisposeAsync()
    {
        Agent.Dispose();
        if (_agent is not null) await _agent.DisposeAsync();
        await Ovs.DisposeAsync();
    }
}
