using System.Diagnostics;
using System.Globalization;

namespace Contiv.Lab;

/// <summary>
/// What a private containerd (ours, or the one a private dockerd starts) leaves when it is killed instead of
/// stopped: itself if its parent was the one killed, a shim per container (each keeps its container running),
/// and the containers in runc's state. All are found by paths under the sandbox's own directory, and ended by
/// PID or by runc with that state root: nothing of another sandbox or of the host is touched.
/// </summary>
public static class ContainerdLeftovers
{
    public const string Containerd = "/usr/bin/containerd";
    public const string Shim = "/usr/bin/containerd-shim-runc-v2";
    public const string Runc = "/usr/sbin/runc";

    /// <summary>Ends everything of the sandbox at <paramref name="directory"/> that outlived its daemon: containerd first
    /// (it would restart what follows), then every container in the runc roots <paramref name="runcRoots"/> names (each a
    /// directory with a subdirectory per container), then the shims.</summary>
    public static void EndAll(string directory, IEnumerable<string> runcRoots)
    {
        foreach (var containerd in ProcessesUnder(directory, args => args[0] == Containerd)) KillIfAlive(containerd);
        foreach (var root in runcRoots.Where(Directory.Exists))
        {
            foreach (var container in Directory.GetDirectories(root))
                LabCommands.Exec(TimeSpan.FromSeconds(10), Runc, "--root", root, "delete", "--force", Path.GetFileName(container)).GetAwaiter().GetResult();
        }
        foreach (var shim in ShimsUnder(directory)) KillIfAlive(shim);
    }

    /// <summary>The shims whose containerd socket (their -address) is under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<int> ShimsUnder(string directory) =>
        ProcessesUnder(directory, args => args[0] == Shim && args.Zip(args.Skip(1)).Any(pair => pair.First == "-address" && IsUnder(pair.Second, directory)));

    /// <summary>The processes whose command line matches <paramref name="match"/> and names something under <paramref name="directory"/>.</summary>
    private static IReadOnlyList<int> ProcessesUnder(string directory, Func<string[], bool> match)
    {
        var found = new List<int>();
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            string[] args;
            try { args = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (args.Length > 0 && match(args) && args.Any(arg => arg.Contains(directory, StringComparison.Ordinal))) found.Add(pid);
        }
        return found;
    }

    private static bool IsUnder(string path, string directory) =>
        path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="pid"/> runs <paramref name="binary"/>: a PID from a file of a dead run may have been reused since.</summary>
    public static bool IsRunning(int pid, string binary)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").StartsWith(binary + "\0", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    public static int? ReadPid(string file)
    {
        try { return int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : null; }
        catch (IOException) { return null; }
    }

    /// <summary>SIGKILL by PID, if it still runs; waits a little for it to go.</summary>
    public static void KillIfAlive(int pid)
    {
        if (!OvsSandbox.IsAlive(pid)) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            // gone already
        }
        catch (InvalidOperationException)
        {
            // gone already
        }
    }

    /// <summary>SIGTERM by PID, then SIGKILL after <paramref name="grace"/>.</summary>
    public static void Stop(int pid, TimeSpan grace)
    {
        if (!OvsSandbox.IsAlive(pid)) return;
        LabCommands.Exec(TimeSpan.FromSeconds(5), "kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
        var deadline = DateTime.UtcNow + grace;
        while (OvsSandbox.IsAlive(pid) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        KillIfAlive(pid);
    }
}
