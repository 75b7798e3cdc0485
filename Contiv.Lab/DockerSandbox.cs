using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Contiv.Lab;

/// <summary>
/// A private dockerd for one test: Debian's docker.io with its data root, exec root, socket,
/// config and containerd namespaces in a temporary directory, no iptables and no default bridge,
/// so it shares nothing with a system dockerd or another sandbox. Stopped by its PID only; what it
/// leaves mounted under its directory is unmounted before the directory goes.
/// </summary>
public sealed class DockerSandbox : IAsyncDisposable
{
    private const string Dockerd = "/usr/sbin/dockerd";
    // Not `docker` from PATH: that may be a newer client (28.x) than this 20.10 daemon speaks.
    private const string Client = "/usr/bin/docker";
    private const string BusyboxTag = "contiv-busybox:lab";
    private const string Prefix = "contiv-docker-";

    public string Directory { get; }
    public string Socket => Path.Combine(Directory, "docker.sock");
    public int DaemonPid => _daemon.Id;

    private Process _daemon;
    private readonly ProcessStartInfo _start;
    private readonly StringBuilder _log = new();
    private readonly SemaphoreSlim _importing = new(1, 1);
    private string? _busybox;
    private int _stopped;

    // A test that fails before disposing its sandbox must not leave a dockerd, its containerd and
    // their containers running after the test run, nor its mounts behind.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DockerSandbox, byte> Live = new();

    static DockerSandbox()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var sandbox in Live.Keys) sandbox.Stop();
        };
    }

    private DockerSandbox(string directory, ProcessStartInfo start)
    {
        Directory = directory;
        _start = start;
        _daemon = Launch();
    }

    private Process Launch()
    {
        var process = new Process { StartInfo = _start };
        process.Start();
        process.OutputDataReceived += (_, e) => Take(e.Data);
        process.ErrorDataReceived += (_, e) => Take(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Stops dockerd with SIGTERM (it stops its containers and keeps their configuration) and starts it
    /// again on the same data root; returns once it answers (within <paramref name="answerWithin"/>, 60 s by
    /// default: a dockerd that finds a network plugin missing waits ~15 s for it per endpoint it cleans up).
    /// Containers with a restart policy come back.
    /// </summary>
    public async Task RestartAsync(TimeSpan? answerWithin = null)
    {
        await LabCommands.Exec(TimeSpan.FromSeconds(5), "kill", "-TERM", DaemonPid.ToString(CultureInfo.InvariantCulture));
        if (!await Task.Run(() => _daemon.WaitForExit(TimeSpan.FromSeconds(30))))
            throw new TimeoutException($"dockerd {DaemonPid} did not stop within 30 s of SIGTERM:\n{LogTail()}");
        _daemon.Dispose();
        _daemon = Launch();
        await WaitUntilAnswering(answerWithin ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts dockerd and returns once it answers <c>docker version</c>.</summary>
    /// <param name="netns">a lab host's network namespace (its name) to run dockerd in, sharing the host's mounts
    /// (nsenter, not `ip netns exec`): its containers' interfaces come from that host's agent</param>
    public static async Task<DockerSandbox> StartAsync(string? netns = null)
    {
        foreach (var binary in new[] { Dockerd, Client })
        {
            if (!File.Exists(binary))
                throw new InvalidOperationException($"{binary} not found: the Docker tests need Debian's docker.io (apt-get install docker.io); .ci/run installs it");
        }
        // Unix socket paths hold at most 108 bytes, and containerd nests its sockets a few levels below the exec root.
        var temp = Path.GetTempPath().Length <= 40 ? Path.GetTempPath() : "/tmp/";
        await Task.Run(() => SweepLeftovers(temp));
        var dir = await SandboxDirectories.CreateOwnedAsync(temp, Prefix);
        // The host's /etc/docker/daemon.json would otherwise apply (a registry mirror, another bridge, live-restore).
        await File.WriteAllTextAsync(Path.Combine(dir, "daemon.json"), "{}\n");
        var name = Path.GetFileName(dir);
        var psi = new ProcessStartInfo(netns is null ? Dockerd : "nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // nsenter execs dockerd: the process started is dockerd itself, whose PID stops it.
        if (netns is not null) foreach (var arg in new[] { "--net=/var/run/netns/" + netns, Dockerd }) psi.ArgumentList.Add(arg);
        foreach (var arg in new[]
                 {
                     "--config-file", Path.Combine(dir, "daemon.json"), "--data-root", Path.Combine(dir, "data"), "--exec-root", Path.Combine(dir, "exec"),
                     "--pidfile", Path.Combine(dir, "docker.pid"), "-H", "unix://" + Path.Combine(dir, "docker.sock"),
                     "--iptables=false", "--ip6tables=false", "--bridge=none",
                     // On SIGTERM it stops the containers first and waits 15 s by default for those that ignore SIGTERM (sleep as PID 1).
                     "--shutdown-timeout", "2",
                     // Its own containerd (a child of dockerd) under the exec root; distinct namespaces keep a
                     // second sandbox's or the host's containers out of its view all the same.
                     "--containerd-namespace", name, "--containerd-plugins-namespace", name + "-plugins",
                 })
            psi.ArgumentList.Add(arg);
        var sandbox = new DockerSandbox(dir, psi);
        Live[sandbox] = 0;
        try
        {
            await sandbox.WaitUntilAnswering(TimeSpan.FromSeconds(60));
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
                throw new InvalidOperationException($"dockerd exited ({_daemon.ExitCode}) before answering on {Socket}:\n{LogTail()}");
            if (File.Exists(Socket) && (await Docker("version", "--format", "{{.Server.Version}}")).ExitCode == 0) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"dockerd did not answer on {Socket} within {timeout.TotalSeconds:0} s:\n{LogTail()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs <c>/usr/bin/docker -H unix://Socket args</c> (no shell).</summary>
    public Task<(int ExitCode, string Output)> Docker(params string[] args) =>
        LabCommands.Exec(TimeSpan.FromSeconds(60), [Client, "-H", "unix://" + Socket, .. args]);

    /// <summary>The tag of a busybox image (see <see cref="BusyboxRootfs"/>), imported once per sandbox.</summary>
    public async Task<string> BusyboxImageAsync()
    {
        await _importing.WaitAsync();
        try
        {
            if (_busybox is not null) return _busybox;
            var tar = await BusyboxRootfs.WriteTarAsync(Directory);
            var (imported, output) = await Docker("import", tar, BusyboxTag);
            if (imported != 0) throw new InvalidOperationException($"`docker import` failed ({imported}): {output}");
            File.Delete(tar);
            return _busybox = BusyboxTag;
        }
        finally
        {
            _importing.Release();
        }
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
        // containerd is dockerd's child and stops with it, unless dockerd has to be killed (or died): then containerd,
        // the shims and their containers outlive it, and are ended here.
        if (!_daemon.HasExited) ContainerdLeftovers.Stop(DaemonPid, TimeSpan.FromSeconds(15));
        _daemon.WaitForExit(TimeSpan.FromSeconds(5));
        _daemon.Dispose();
        EndLeftovers(Directory);
        Remove(Directory);
    }

    /// <summary>What dockerd's containerd left under the sandbox's exec root (its runc roots: one per containerd namespace).</summary>
    private static void EndLeftovers(string directory)
    {
        var runtime = Path.Combine(directory, "exec", "runtime-runc");
        ContainerdLeftovers.EndAll(directory, System.IO.Directory.Exists(runtime) ? System.IO.Directory.GetDirectories(runtime) : []);
    }

    // dockerd bind-mounts its data root and unmounts it on a clean shutdown only; container rootfs
    // mounts stay after a kill.
    private static void Remove(string directory)
    {
        LabMounts.UnmountUnder(directory);
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Sandboxes whose test run ended before their cleanup did: the test host is killed soon after
    /// its last test, while its process-exit hook may still wait for dockerd. Such a sandbox's
    /// owner (the test host's PID) is gone; its dockerd, if still running, is stopped by the PID in
    /// its pidfile. A directory without an owner yet is one being created right now, unless old.
    /// </summary>
    private static void SweepLeftovers(string temp)
    {
        foreach (var dir in SandboxDirectories.Orphaned(temp, Prefix))
        {
            if (ContainerdLeftovers.ReadPid(Path.Combine(dir, "docker.pid")) is { } daemon && ContainerdLeftovers.IsRunning(daemon, Dockerd)) ContainerdLeftovers.Stop(daemon, TimeSpan.FromSeconds(15));
            EndLeftovers(dir);
            Remove(dir);
        }
    }

    private void Take(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private string LogTail(int lines = 30)
    {
        string all;
        lock (_log) all = _log.ToString();
        return string.Join('\n', all.Split('\n').TakeLast(lines));
    }
}
