using System.Diagnostics;
using System.Net;
using Contiv.Dataplane.Ovs.Ovsdb;
using Contiv.HostAgent.Plumbing;
using Contiv.Lab;
using Xunit;

namespace Contiv.Tests.HostAgent.Plumbing;

/// <summary>
/// One test's host: a sandboxed switch whose bridge forwards NORMAL (it is fail_mode=secure, so it
/// would drop everything otherwise), an <see cref="EndpointPlumber"/> on it, and namespaces standing in
/// for containers. Disposing removes every endpoint, namespace and process the test made.
/// </summary>
internal sealed class PlumbingLab : IAsyncDisposable
{
    public static readonly CommandRunner Shell = new(TimeSpan.FromSeconds(20));

    private readonly List<string> _endpointIds = [];
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];

    public OvsSandbox Ovs { get; }
    public OvsdbClient Client { get; }
    public OvsBridgeManager Bridges { get; }
    public string Bridge { get; }
    public EndpointPlumber Plumber { get; }

    private PlumbingLab(OvsSandbox ovs, OvsdbClient client, string bridge)
    {
        Ovs = ovs;
        Client = client;
        Bridges = new OvsBridgeManager(client);
        Bridge = bridge;
        Plumber = new EndpointPlumber(Bridges, bridge);
    }

    public static async Task<PlumbingLab> StartAsync()
    {
        var ovs = await OvsSandbox.StartAsync();
        try
        {
            await ovs.AddBridgeAsync("br0");
            var bridge = ovs.BridgeName("br0");
            await ovs.Ofctl("add-flow", bridge, "actions=normal");
            return new PlumbingLab(ovs, await OvsdbClient.ConnectAsync(ovs.DbTarget), bridge);
        }
        catch
        {
            await ovs.DisposeAsync();
            throw;
        }
    }

    /// <summary>A plumber on the same bridge that runs its commands through <paramref name="runner"/>.</summary>
    public EndpointPlumber PlumberWith(CommandRunner runner) => new(Bridges, Bridge, runner: runner);

    /// <summary>A fresh endpoint id, detached again when the lab is disposed.</summary>
    public string NewEndpointId()
    {
        var id = "ep-" + Guid.NewGuid().ToString("N");
        _endpointIds.Add(id);
        return id;
    }

    /// <summary>A named namespace (<c>ip netns add</c>); returns its path under /var/run/netns.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "plt" + Guid.NewGuid().ToString("N")[..10];
        await Shell.CheckedAsync(["ip", "netns", "add", name], default);
        _namespaces.Add(name);
        return "/var/run/netns/" + name;
    }

    /// <summary>
    /// A namespace no name refers to, as a container runtime makes them: <c>unshare --net sleep</c>,
    /// reachable only as /proc/&lt;pid&gt;/ns/net. Returns that path and the process (killed at the end by its PID).
    /// </summary>
    public async Task<(string Path, Process Process)> NewProcessNamespaceAsync()
    {
        var process = Process.Start(new ProcessStartInfo("unshare", ["--net", "sleep", "120"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start unshare");
        _processes.Add(process);
        var path = $"/proc/{process.Id}/ns/net";
        var host = new FileInfo("/proc/self/ns/net").LinkTarget;
        // The path exists from the fork on, but is the host's namespace until unshare has run.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (new FileInfo(path).LinkTarget == host)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"process {process.Id} did not enter a namespace of its own");
            await Task.Delay(10);
        }
        return (path, process);
    }

    public static EndpointAttachment Attachment(string id, string netns, string address, string mac, string? gateway = "10.77.0.1", int mtu = 1450) =>
        new(id, "container-" + id, netns, IPAddress.Parse(address), 24, mac, mtu, gateway is null ? null : IPAddress.Parse(gateway));

    /// <summary>Runs a command inside the namespace at <paramref name="netns"/>.</summary>
    public static Task<CommandResult> InAsync(string netns, params string[] command) => Shell.RunAsync(["nsenter", "--net=" + netns, .. command], default);

    public static async Task<string> InCheckedAsync(string netns, params string[] command) =>
        await Shell.CheckedAsync(["nsenter", "--net=" + netns, .. command], default);

    /// <summary>Three pings, a second apart unless <paramref name="quick"/> (then 0.2 s); true if one is answered.</summary>
    public static async Task<bool> PingAsync(string fromNetns, string address, bool quick = false) =>
        (await InAsync(fromNetns, ["ping", "-c", "3", "-W", "2", .. quick ? new[] { "-i", "0.2" } : [], address])).Succeeded;

    public static async Task<bool> HostLinkExistsAsync(string name) =>
        (await Shell.RunAsync(["ip", "link", "show", "dev", name], default)).Succeeded;

    public static async Task<bool> LinkExistsInAsync(string netns, string name) =>
        (await InAsync(netns, "ip", "link", "show", "dev", name)).Succeeded;

    public async Task<IReadOnlyList<OvsPortInfo>> PortsNamedAsync(string name) =>
        (await Bridges.ListPortsAsync(Bridge)).Where(p => p.Name == name).ToArray();

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _endpointIds)
        {
            try { await Plumber.DetachAsync(id, null); }
            catch (PlumbingException) { /* best effort: the veth goes with its namespace below */ }
        }
        foreach (var process in _processes)
        {
            // Only what this lab started, by its own handle.
            try { process.Kill(); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            process.Dispose();
        }
        foreach (var ns in _namespaces) await Shell.RunAsync(["ip", "netns", "del", ns], default);
        await Client.DisposeAsync();
        await Ovs.DisposeAsync();
    }
}
