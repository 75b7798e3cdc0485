using System.Diagnostics;
using System.Globalization;
using System.Text;
using Contiv.Lab.Cri;

namespace Contiv.Lab;

/// <summary>
/// A private containerd for one test: Debian's containerd 1.6 with its CRI plugin, its root, state, socket,
/// config, runc state and pod network namespaces in a temporary directory, running in a network namespace
/// the caller made, with the CNI plugins and configs of the caller's directories and a busybox image as the
/// pod sandbox (pause) image. It is driven the way the kubelet drives it, over CRI (<see cref="Cri"/>).
/// Stopped by its PID only; the pods it leaves are killed through its own runc state directory and their
/// shims by the socket address that names this sandbox; its mounts are unmounted before the directory goes.
/// </summary>
public sealed class ContainerdSandbox : IAsyncDisposable
{
    private const string Containerd = ContainerdLeftovers.Containerd;
    private const string Ctr = "/usr/bin/ctr";
    private const string Nsenter = "/usr/bin/nsenter";
    private const string Prefix = "contiv-containerd-";
    /// <summary>CRI's containerd namespace: images must be imported there for CRI to see them.</summary>
    public const string K8sNamespace = "k8s.io";
    /// <summary>The sandbox (pause) image: the busybox image, whose command sleeps.</summary>
    public const string SandboxImage = "docker.io/library/contiv-busybox:lab";

    public string Directory { get; }
    public string Socket => Path.Combine(Directory, "containerd.sock");
    public string Netns { get; }
    public int Pid => _daemon.Id;
    /// <summary>The CRI client on <see cref="Socket"/> (runtime.v1).</summary>
    public CriClient Cri { get; }
    /// <summary>Where containerd puts the pods' network namespaces (netns_mounts_under_state_dir: the CRI plugin's state directory).</summary>
    /// <summary>
    /// The cgroup parent to give pods (<see cref="CriClient.PodConfig"/>'s cgroupParent), as the kubelet gives its
    /// kubepods: one per sandbox, so that what a killed run leaves is found and removed by name. Without one
    /// containerd puts pods under /k8s.io, shared with any other CRI containerd.
    /// </summary>
    public string CgroupParent => "/" + Path.GetFileName(Directory);
    public string PodNetnsDirectory => Path.Combine(Directory, "state", "io.containerd.grpc.v1.cri", "netns");

    private readonly Process _daemon;
    private readonly StringBuilder _log = new();
    private int _stopped;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ContainerdSandbox, byte> Live = new();

    static ContainerdSandbox()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var sandbox in Live.Keys) sandbox.Stop();
        };
    }

    private ContainerdSandbox(string directory, string netns, ProcessStartInfo start)
    {
        Directory = directory;
        Netns = netns;
        _daemon = new Process { StartInfo = start };
        _daemon.OutputDataReceived += (_, e) => Take(e.Data);
        _daemon.ErrorDataReceived += (_, e) => Take(e.Data);
        _daemon.Start();
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();
        File.WriteAllText(Path.Combine(directory, "containerd.pid"), Pid.ToString(CultureInfo.InvariantCulture));
        Cri = new CriClient(Socket) { CallTimeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Starts containerd in <paramref name="netns"/> and returns once CRI answers and sees the sandbox image.</summary>
    /// <param name="netns">a network namespace (its name under /var/run/netns) the caller made: containerd runs in it, so the
    /// CNI plugins it runs put their host-side links (a bridge, veth ends) there and no pod traffic leaves it. Entered with
    /// nsenter, keeping the host's mount namespace (not `ip netns exec`, which gives it a slave copy): the pods' netns and
    /// rootfs mounts containerd makes must be visible to the test (to enter a pod's netns, to unmount at the end), and the
    /// shims and runc it starts must see them too</param>
    /// <param name="cniBinDir">the CNI plugin binaries (CRI's cni.bin_dir)</param>
    /// <param name="cniConfDir">the CNI network configs (cni.conf_dir); containerd takes the first by name</param>
    /// <param name="podNetnsUnderStateDir">false: pods' network namespaces in /var/run/netns (see ContainerdConfig), for CNI
    /// plugins whose agent lives in another mount namespace</param>
    public static async Task<ContainerdSandbox> StartAsync(string netns, string cniBinDir, string cniConfDir, bool podNetnsUnderStateDir = true)
    {
        foreach (var (binary, package) in new[] { (Containerd, "containerd"), (Ctr, "containerd"), (ContainerdLeftovers.Shim, "containerd"), (ContainerdLeftovers.Runc, "runc"), (Nsenter, "util-linux") })
        {
            if (!File.Exists(binary))
                throw new InvalidOperationException($"{binary} not found: the CRI tests need Debian's {package} (apt-get install {package}); .ci/run installs it");
        }
        if (!File.Exists("/var/run/netns/" + netns)) throw new ArgumentException($"no network namespace {netns} (/var/run/netns/{netns})", nameof(netns));
        // Unix socket paths hold at most 108 bytes: the socket, and the shims' under the state directory.
        var temp = Path.GetTempPath().Length <= 40 ? Path.GetTempPath() : "/tmp/";
        await Task.Run(() => SweepLeftovers(temp));
        var dir = await SandboxDirectories.CreateOwnedAsync(temp, Prefix);
        var (code, defaults) = await LabCommands.Exec(TimeSpan.FromSeconds(20), Containerd, "config", "default");
        if (code != 0) throw new InvalidOperationException($"`containerd config default` failed ({code}): {defaults}");
        var config = Path.Combine(dir, "config.toml");
        await File.WriteAllTextAsync(config, ContainerdConfig.Adjust(defaults, dir, Path.GetFullPath(cniBinDir), Path.GetFullPath(cniConfDir), SandboxImage, podNetnsUnderStateDir));

        var psi = new ProcessStartInfo(Nsenter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // nsenter execs containerd: the process started is containerd itself, whose PID stops it.
        foreach (var arg in new[] { "--net=/var/run/netns/" + netns, Containerd, "--config", config }) psi.ArgumentList.Add(arg);
        var sandbox = new ContainerdSandbox(dir, netns, psi);
        Live[sandbox] = 0;
        try
        {
            await sandbox.WaitUntilAnswering(TimeSpan.FromSeconds(60));
            await sandbox.ImportSandboxImageAsync();
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilAnswering(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_daemon.HasExited)
                throw new InvalidOperationException($"containerd exited ({_daemon.ExitCode}) before answering on {Socket}:\n{LogTail()}");
            if (File.Exists(Socket))
            {
                try
                {
                    await Cri.VersionAsync();
                    return;
                }
                catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
                {
                    // the CRI plugin registers after the socket is up
                }
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"containerd did not answer CRI on {Socket} within {timeout.TotalSeconds:0} s:\n{LogTail()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Imports the busybox image (Cmd: sleep) into CRI's namespace and waits until CRI sees it: a sandbox image it did not see it would pull.</summary>
    private async Task ImportSandboxImageAsync()
    {
        var archive = await BusyboxImage.WriteArchiveAsync(Directory, SandboxImage["docker.io/library/".Length..], ["/bin/sleep", "2147483647"]);
        var (code, output) = await CtrAsync("images", "import", archive);
        if (code != 0) throw new InvalidOperationException($"`ctr images import` failed ({code}): {output}\n{LogTail()}");
        File.Delete(archive);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await Cri.ImageIdAsync(SandboxImage) is null)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"CRI does not see {SandboxImage} 30 s after its import:\n{LogTail()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs <c>ctr -a Socket -n k8s.io args</c> (no shell).</summary>
    public Task<(int ExitCode, string Output)> CtrAsync(params string[] args) =>
        LabCommands.Exec(TimeSpan.FromSeconds(60), [Ctr, "-a", Socket, "-n", K8sNamespace, .. args]);

    /// <summary>The shims (containerd-shim-runc-v2) serving this sandbox's containerd, found by its socket in their command line.</summary>
    public IReadOnlyList<int> ShimPids() => ContainerdLeftovers.ShimsUnder(Directory);

    /// <summary>containerd's log so far (its last lines), for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        string all;
        lock (_log) all = _log.ToString();
        return string.Join('\n', all.Split('\n').TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        // Synchronous underneath, so that the process-exit hook can run the very same steps.
        await Task.Run(Stop);
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        Live.TryRemove(this, out _);
        if (!_daemon.HasExited) RemovePods();
        Cri.Dispose();
        ContainerdLeftovers.Stop(Pid, TimeSpan.FromSeconds(10));
        _daemon.WaitForExit(TimeSpan.FromSeconds(5));
        _daemon.Dispose();
        ForceRemove(Directory);
    }

    /// <summary>Pods a test left: stopped and removed through CRI as the kubelet would, so their CNI DEL runs (bounded: this also runs at exit).</summary>
    private void RemovePods()
    {
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            Task.Run(async () =>
            {
                foreach (var pod in await Cri.ListPodSandboxesAsync(bound.Token))
                {
                    await Cri.StopPodSandboxAsync(pod.Id, bound.Token);
                    await Cri.RemovePodSandboxAsync(pod.Id, bound.Token);
                }
            }).Wait(bound.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException or Grpc.Core.RpcException)
        {
            // what is left is killed by ForceRemove
        }
    }

    /// <summary>
    /// With containerd gone: the containers still in its runc state directory are killed and deleted by runc (their
    /// cgroups go with them), the shims that served them are killed by PID, the shims' sockets (outside the directory,
    /// named in each task bundle's address file) are removed, then the mounts under the directory, then the directory.
    /// </summary>
    private static void ForceRemove(string directory)
    {
        ContainerdLeftovers.EndAll(directory, [Path.Combine(directory, "runc", K8sNamespace)]);
        var tasks = Path.Combine(directory, "state", "io.containerd.runtime.v2.task");
        if (System.IO.Directory.Exists(tasks))
        {
            foreach (var address in System.IO.Directory.GetFiles(tasks, "address", SearchOption.AllDirectories))
            {
                var socket = File.ReadAllText(address).Trim();
                if (socket.StartsWith("unix://", StringComparison.Ordinal) && File.Exists(socket["unix://".Length..])) File.Delete(socket["unix://".Length..]);
            }
        }
        RemoveCgroups(Path.GetFileName(directory));
        LabMounts.UnmountUnder(directory);
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The cgroup <paramref name="name"/> (<see cref="CgroupParent"/>) in every hierarchy, emptied by then: rmdir, deepest first.</summary>
    private static void RemoveCgroups(string name)
    {
        var hierarchies = System.IO.Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup");
        foreach (var parent in hierarchies.Select(h => Path.Combine(h, name)).Where(System.IO.Directory.Exists))
        {
            foreach (var cgroup in System.IO.Directory.GetDirectories(parent, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(parent))
            {
                try { System.IO.Directory.Delete(cgroup); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>Sandboxes of a test run that ended before their cleanup did (see <see cref="DockerSandbox"/>): owner gone.</summary>
    private static void SweepLeftovers(string temp)
    {
        foreach (var dir in SandboxDirectories.Orphaned(temp, Prefix))
        {
            if (ContainerdLeftovers.ReadPid(Path.Combine(dir, "containerd.pid")) is { } daemon && ContainerdLeftovers.IsRunning(daemon, Containerd)) ContainerdLeftovers.Stop(daemon, TimeSpan.FromSeconds(10));
            ForceRemove(dir);
        }
    }

    private void Take(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }
}
