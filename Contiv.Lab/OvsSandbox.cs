using System.Diagnostics;

namespace Contiv.Lab;

/// <summary>
/// A private Open vSwitch for one test: ovsdb-server and ovs-vswitchd (userspace datapath) started
/// in a temporary directory, driven only through that directory's sockets, stopped by the PIDs in
/// their pidfiles. It never touches a system-wide OVS. Missing binaries fail the test loudly.
/// </summary>
public sealed class OvsSandbox : IAsyncDisposable
{
    private const string Schema = "/usr/share/openvswitch/vswitch.ovsschema";

    public string Directory { get; }
    public string DbSocket => Path.Combine(Directory, "db.sock");
    public string DbTarget => "unix:" + DbSocket;
    /// <summary>Runs the tools inside this namespace when set (a second "host").</summary>
    public string? Namespace { get; }

    private readonly string _suffix = "x" + Guid.NewGuid().ToString("N")[..6];

    // A sandbox whose test failed before disposing it must not outlive the test run: a leftover
    // vswitchd keeps the ovs-netdev tap and every later sandbox fails to create its datapath.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<OvsSandbox, byte> Live = new();

    static OvsSandbox()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var sandbox in Live.Keys) sandbox.StopDaemonsNow();
        };
    }

    private OvsSandbox(string directory, string? ns)
    {
        Directory = directory;
        Namespace = ns;
    }

    public static async Task<OvsSandbox> StartAsync(string? networkNamespace = null)
    {
        foreach (var tool in new[] { "ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovs-appctl" })
        {
            if (!OnPath(tool))
                throw new InvalidOperationException($"{tool} not found: the dataplane tests need Debian's openvswitch-switch (apt-get install openvswitch-switch); .ci/run installs it");
        }
        var dir = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ovs-" + Guid.NewGuid().ToString("N")[..10])).FullName;
        var sandbox = new OvsSandbox(dir, networkNamespace);
        Live[sandbox] = 0;
        try
        {
            var db = Path.Combine(dir, "conf.db");
            await sandbox.Tool("ovsdb-tool", "create", db, Schema);
            await sandbox.Tool("ovsdb-server", db, $"--remote=punix:{sandbox.DbSocket}", "--pidfile=" + Path.Combine(dir, "ovsdb-server.pid"),
                "--log-file=" + Path.Combine(dir, "ovsdb-server.log"), "--unixctl=" + Path.Combine(dir, "ovsdb-server.ctl"), "--detach");
            await sandbox.Vsctl("--no-wait", "init");
            await sandbox.StartSwitchAsync();
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    private Task StartSwitchAsync() =>
        Tool("ovs-vswitchd", DbTarget, "--pidfile=" + Path.Combine(Directory, "ovs-vswitchd.pid"),
            "--log-file=" + Path.Combine(Directory, "ovs-vswitchd.log"), "--unixctl=" + Path.Combine(Directory, "ovs-vswitchd.ctl"), "--detach");

    /// <summary>
    /// Stops ovs-vswitchd and starts it again on the same database, as a package upgrade or a crash
    /// and respawn would: every flow and group is gone afterwards, bridges and ports come back.
    /// Returns once the bridge listens for its controller again.
    /// </summary>
    public async Task RestartSwitchAsync(string logicalBridge, int controllerPort)
    {
        await StopDaemonAsync("ovs-vswitchd");
        await StartSwitchAsync();
        await WaitUntilListening(BridgeName(logicalBridge), controllerPort);
    }

    /// <summary>
    /// The real name of a test's bridge. The userspace datapath makes each bridge's LOCAL port a tap
    /// device named after the bridge, so sandboxes running side by side need distinct names.
    /// </summary>
    public string BridgeName(string logical) => logical + _suffix;

    /// <summary>A netdev bridge speaking OpenFlow 1.3 in secure fail mode, listening for our client on a TCP port.</summary>
    public async Task<int> AddBridgeAsync(string logical)
    {
        var bridge = BridgeName(logical);
        var port = LocalPorts.FreeTcpPort();
        await Vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "protocols=OpenFlow13", "fail_mode=secure");
        await Vsctl("set-controller", bridge, $"ptcp:{port}:127.0.0.1");
        await WaitUntilListening(bridge, port);
        return port;
    }

    /// <summary>ovs-vsctl returns once the database says so; vswitchd opens the bridge's management
    /// socket and controller listener a moment later, on a busy machine visibly later.</summary>
    private async Task WaitUntilListening(string bridge, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var mgmt = Path.Combine(Directory, bridge + ".mgmt");
        while (true)
        {
            // Inside another namespace the listener is not reachable from here: the socket file must do.
            var listening = Namespace is not null || await Accepts(port);
            if (File.Exists(mgmt) && listening) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"ovs-vswitchd did not open {mgmt} and 127.0.0.1:{port} within 15 s");
            await Task.Delay(20);
        }
    }

    private static async Task<bool> Accepts(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public Task<string> Vsctl(params string[] args) => Tool("ovs-vsctl", ["--db=" + DbTarget, "--timeout=10", .. args]);

    public Task<string> Ofctl(params string[] args) => Tool("ovs-ofctl", ["-O", "OpenFlow13", .. args]);

    public Task<string> Appctl(params string[] args) => Tool("ovs-appctl", ["-t", Path.Combine(Directory, "ovs-vswitchd.ctl"), .. args]);

    /// <summary>
    /// Returns after the revalidators finished a round: a committed flow change reaches packets that
    /// match flows already cached in the datapath only then (a busy machine can take a second).
    /// </summary>
    public Task WaitForRevalidationAsync() => Appctl("revalidator/wait");

    /// <summary><c>ofproto/trace</c> of a packet description, e.g. <c>in_port=1,tcp,nw_src=..,nw_dst=..,tp_dst=80</c>.</summary>
    public Task<string> TraceAsync(string bridge, string packet, params string[] extra) =>
        Appctl(["ofproto/trace", bridge, packet, .. extra]);

    public async Task<string> Tool(string tool, params string[] args)
    {
        string[] command = Namespace is null ? [tool, .. args] : ["ip", "netns", "exec", Namespace, tool, .. args];
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command[1..]) psi.ArgumentList.Add(arg);
        psi.Environment["OVS_RUNDIR"] = Directory;
        psi.Environment["OVS_DBDIR"] = Directory;
        psi.Environment["OVS_LOGDIR"] = Directory;
        psi.Environment["OVS_SYSCONFDIR"] = Directory;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({process.ExitCode}): {await stderr}{await stdout}");
        return await stdout;
    }

    private void StopDaemonsNow()
    {
        foreach (var daemon in new[] { "ovs-vswitchd", "ovsdb-server" })
        {
            var pidFile = Path.Combine(Directory, daemon + ".pid");
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) continue;
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Live.TryRemove(this, out _);
        // --cleanup: the userspace datapath's tap devices (one per bridge, internal ports) go with it,
        // instead of staying in the namespace after the test.
        await StopDaemonAsync("ovs-vswitchd", cleanup: true);
        await StopDaemonAsync("ovsdb-server");
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Asks the daemon to exit, and kills it by the PID in its pidfile if it has not within 3 s.</summary>
    private async Task StopDaemonAsync(string daemon, bool cleanup = false)
    {
        var pidFile = Path.Combine(Directory, daemon + ".pid");
        if (!File.Exists(pidFile) || !int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid)) return;
        try
        {
            string[] exit = cleanup ? ["-t", Path.Combine(Directory, daemon + ".ctl"), "exit", "--cleanup"] : ["-t", Path.Combine(Directory, daemon + ".ctl"), "exit"];
            await Tool("ovs-appctl", exit);
        }
        catch (InvalidOperationException)
        {
            // fall through to the kill by PID below
        }
        // Not our child: Process.WaitForExit cannot reap it, so watch /proc instead.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (IsAlive(pid) && DateTime.UtcNow < deadline) await Task.Delay(20);
        if (IsAlive(pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // gone meanwhile
            }
            deadline = DateTime.UtcNow.AddSeconds(3);
            while (IsAlive(pid) && DateTime.UtcNow < deadline) await Task.Delay(20);
        }
    }

    /// <summary>Running, as opposed to gone or a zombie waiting for init to reap it (which here takes ~2 s).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart();
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/sbin")
        .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
