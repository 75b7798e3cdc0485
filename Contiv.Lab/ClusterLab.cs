
namespace Contiv.Lab;

/// <summary>
/// A whole Contiv installation on one machine: a contiv-master in the root namespace and N hosts,
/// each a network namespace with its own ovs-vswitchd (userspace datapath) and contiv-agent. Two
/// Linux bridges made for the lab join them: a management network (the master's and agents' cluster
/// addresses) and an underlay (each host's VTEP on an OVS bridge of its own, as the userspace
/// datapath needs for VXLAN). Everything is named with one random suffix and torn down by PID and name.
/// </summary>
public sealed class ClusterLab : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly LabLinks _net = new();

    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..6];
    public string Directory { get; }
    public string Management { get; }
    public string Underlay { get; }
    /// <summary>The one master of a lab started with one; null when the lab runs several (see <see cref="Masters"/>).</summary>
    public LabMaster Master { get; private set; } = null!;

    /// <summary>Several masters on a private PostgreSQL, their cluster addresses on the management bridge; null with one master.</summary>
    public MasterCluster? Masters { get; private set; }

    /// <summary>The masters' cluster addresses the agents are given.</summary>
    public IReadOnlyList<string> Seeds => Masters is { } several ? several.Seeds : [Master.Seed];
    public IReadOnlyList<LabHost> Hosts => _hosts;
    public HttpClient Rest { get; private set; } = null!;

    /// <summary>The network namespaces the lab made (hosts and containers), by name: teardown removes them.</summary>
    public IReadOnlyList<string> Namespaces => _net.Namespaces;

    /// <summary>The links the lab made in the root namespace (bridges, veth ends): teardown removes them.</summary>
    public IReadOnlyList<string> Links => _net.Links;

    private readonly List<LabHost> _hosts = [];
    private int _containers;

    private ClusterLab()
    {
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ctlab-" + Suffix)).FullName;
        var a = Random.Shared.Next(200, 250);
        var b = Random.Shared.Next(0, 127) * 2;
        Management = $"10.{a}.{b}";
        Underlay = $"10.{a}.{b + 1}";
    }

    public string MasterAddress => $"{Management}.1";

    public static string BinaryDirectory => AppContext.BaseDirectory;

    private Func<int, IReadOnlyList<string>>? _agentArguments;

    /// <summary>
    /// Starts the master and <paramref name="hosts"/> hosts, and returns when every agent is ready.
    /// Cancelling stops it between steps and tears down what was made.
    /// </summary>
    /// <param name="masters">1: a master on SQLite in the root namespace; more: that many masters on PostgreSQL, one cluster.</param>
    /// <param name="agentArguments">more flags for each host's agent, by host index (the Docker driver's sockets, say)</param>
    public static async Task<ClusterLab> StartAsync(int hosts, CancellationToken cancellation = default, int masters = 1,
        Func<int, IReadOnlyList<string>>? agentArguments = null)
    {
        var lab = new ClusterLab { _agentArguments = agentArguments };
        try
        {
            foreach (var tool in new[] { "contiv-master.dll", "contiv-agent.dll" })
            {
                if (!File.Exists(Path.Combine(BinaryDirectory, tool)))
                    throw new FileNotFoundException($"{tool} is not beside {AppContext.BaseDirectory}; reference its project", tool);
            }
            await lab.LinkAsync();
            cancellation.ThrowIfCancellationRequested();
            if (masters == 1)
            {
                lab.Master = await LabMaster.StartAsync(lab);
                lab.Rest = new HttpClient { BaseAddress = lab.Master.RestUrl, Timeout = TimeSpan.FromSeconds(30) };
            }
            else
            {
                var addresses = Enumerable.Range(0, masters).Select(i => $"{lab.Management}.{i + 1}").ToList();
                foreach (var address in addresses.Skip(1)) await LabCommands.Run("ip", "addr", "add", $"{address}/24", "dev", $"ctl{lab.Suffix}m");
                lab.Masters = await MasterCluster.StartAsync(masters, MasterPlacement.Loopback, addresses, cancellation);
                lab.Rest = new HttpClient { BaseAddress = lab.Masters.Masters[0].RestUrl, Timeout = TimeSpan.FromSeconds(30) };
            }
            for (var i = 0; i < hosts; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                lab._hosts.Add(await lab.AddHostAsync(i));
            }
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task LinkAsync()
    {
        await _net.BridgeAsync($"ctl{Suffix}m", $"{Management}.1/24");
        await _net.BridgeAsync($"ctl{Suffix}u", null);
    }

    private async Task<LabHost> AddHostAsync(int index)
    {
        var ns = $"ctl{Suffix}h{index}";
        await _net.NamespaceAsync(ns);
        var mgmtAddress = $"{Management}.{10 + index}";
        var vtep = $"{Underlay}.{10 + index}";
        await VethAsync($"cm{Suffix}{index}", $"cn{Suffix}{index}", $"ctl{Suffix}m", ns, $"{mgmtAddress}/24");
        await VethAsync($"cu{Suffix}{index}", $"cv{Suffix}{index}", $"ctl{Suffix}u", ns);

        var ovs = await OvsSandbox.StartAsync(ns);
        // The userspace datapath sends VXLAN through its own routing: the VTEP address lives on an OVS
        // bridge that holds the underlay interface.
        await ovs.AddBridgeAsync("phy");
        var phy = ovs.BridgeName("phy");
        await ovs.Vsctl("add-port", phy, $"cv{Suffix}{index}");
        await ovs.Ofctl("add-flow", phy, "actions=NORMAL");
        await LabCommands.Run("ip", "-n", ns, "addr", "add", $"{vtep}/24", "dev", phy);
        await LabCommands.Run("ip", "-n", ns, "link", "set", phy, "up");
        var host = new LabHost(this, index, ns, mgmtAddress, vtep, ovs, Path.Combine(Directory, $"h{index}.sock"), 4100 + index,
            _agentArguments?.Invoke(index) ?? []);
        await host.StartAgentAsync();
        return host;
    }

    /// <summary>A veth pair onto a lab bridge, with tx checksum offload off on both ends (userspace datapath).</summary>
    private async Task VethAsync(string rootEnd, string nsEnd, string bridge, string ns, string? address = null)
    {
        await _net.VethAsync(rootEnd, nsEnd, bridge, ns, address);
        await LabCommands.Run("ethtool", "-K", rootEnd, "tx", "off");
        await LabCommands.Run("ip", "netns", "exec", ns, "ethtool", "-K", nsEnd, "tx", "off");
    }

    /// <summary>A namespace for a container (lo up), its path for the agent's local API.</summary>
    public async Task<string> AddContainerAsync()
    {
        var ns = $"ctl{Suffix}c{Interlocked.Increment(ref _containers)}";
        await _net.NamespaceAsync(ns, removeFirst: true);
        return ns;
    }

    public static string NetnsPath(string ns) => "/var/run/netns/" + ns;

    /// <summary>The PIDs of everything the lab runs: the master, the agents and each host's ovsdb-server and ovs-vswitchd.</summary>
    public IReadOnlyList<int> Pids() =>
        [.. new[] { Master?.Process.Pid }.Concat(_hosts.Select(h => h.AgentPid)).OfType<int>(), .. _hosts.SelectMany(h => h.OvsPids())];

    /// <summary>POST a config object to the master's v1 API; throws with the answer when it is not 2xx.</summary>
    public async Task PostAsync(string path, string json)
    {
        using var response = await Rest.PostAsync(path, new StringContent(json));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task DeleteAsync(string path)
    {
        using var response = await Rest.DeleteAsync(path);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"DELETE {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Tears everything down; a step that fails does not keep the later ones from running.</summary>
    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        async Task Step(Func<Task> step)
        {
            try { await step(); }
            catch (Exception ex) { failures.Add(ex); }
        }
        foreach (var host in _hosts) await Step(() => host.DisposeAsync().AsTask());
        if (Master is not null) await Step(() => Master.DisposeAsync().AsTask());
        if (Masters is not null) await Step(() => Masters.DisposeAsync().AsTask());
        Rest?.Dispose();
        _net.Remove();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        if (failures.Count > 0) throw new AggregateException("tearing the lab down", failures);
    }
}
