using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Contiv.Bench;

/// <summary>Resident set size of a process, read from /proc/&lt;pid&gt;/status (Linux only).</summary>
public sealed record MemoryUsage(double RssMiB, double PeakRssMiB)
{
    public static MemoryUsage? Read(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path)) return null;
        double? rss = null, hwm = null;
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = ParseKib(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = ParseKib(line);
            }
        }
        catch (IOException) { return null; }
        return rss is null ? null : new MemoryUsage(rss.Value / 1024.0, (hwm ?? rss.Value) / 1024.0);
    }

    // "VmRSS:\t  123456 kB"
    private static double? ParseKib(string line)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], out var kib) ? kib : null;
    }
}

/// <summary>
/// A fresh contiv-master child process (`dotnet contiv-master.dll --listen 127.0.0.1:port
/// --data-dir tmp`) on a new SQLite journal in its own temp directory. Disposing it stops it
/// (SIGTERM, then kill after a grace period) and deletes the directory.
/// </summary>
public sealed class MasterLauncher : IAsyncDisposable
{
    public const string ReadyMarker = "contiv-master ready";
    private const int KeptOutputLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    public int Pid { get; }
    public int Port { get; }
    public string DataDir { get; }
    public Uri BaseAddress { get; }
    public TimeSpan StartupTime { get; private set; }

    /// <summary>How the process ended, e.g. "SIGTERM, exit code 0 after 0.31 s".</summary>
    public string StopOutcome { get; private set; } = "not stopped";

    private MasterLauncher(Process process, int port, string dataDir)
    {
        _process = process;
        Port = port;
        DataDir = dataDir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Exited += (_, _) => _ready.TrySetException(
            new InvalidOperationException($"contiv-master exited early (code {SafeExitCode()}):\n{RecentOutput}"));
        process.Start();
        Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The last lines the master printed (stdout and stderr), for failure messages.</summary>
    public string RecentOutput { get { lock (_output) return string.Join('\n', _output); } }

    public bool HasExited => _process.HasExited;

    public static string MasterDll => Path.Combine(AppContext.BaseDirectory, "contiv-master.dll");

    public static async Task<MasterLauncher> StartAsync(CancellationToken cancel, params string[] extraArguments)
    {
        var dll = MasterDll;
        if (!File.Exists(dll))
            throw new FileNotFoundException("contiv-master.dll is not beside Contiv.Bench.dll; is Contiv.Master built?", dll);

        var dataDir = Directory.CreateDirectory(
            Path.Combine(Path.GetTempPath(), "contiv-bench-" + Guid.NewGuid().ToString("N"))).FullName;
        var port = Contiv.Lab.LocalPorts.FreeTcpPort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--listen");
        psi.ArgumentList.Add($"127.0.0.1:{port}");
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(dataDir);
        foreach (var argument in extraArguments) psi.ArgumentList.Add(argument);

        var started = Stopwatch.StartNew();
        MasterLauncher master;
        try
        {
            master = new MasterLauncher(new Process { StartInfo = psi, EnableRaisingEvents = true }, port, dataDir);
        }
        catch
        {
            DeleteDir(dataDir);
            throw;
        }

        try
        {
            await master._ready.Task.WaitAsync(StartTimeout, cancel);
        }
        catch (TimeoutException)
        {
            var output = master.RecentOutput;
            await master.DisposeAsync();
            throw new TimeoutException($"contiv-master did not print \"{ReadyMarker}\" within {StartTimeout.TotalSeconds:0} s:\n{output}");
        }
        catch
        {
            await master.DisposeAsync();
            throw;
        }
        master.StartupTime = started.Elapsed;
        return master;
    }

    public MemoryUsage? ReadMemory() => _process.HasExited ? null : MemoryUsage.Read(Pid);

    /// <summary>SIGTERM (`kill -TERM pid`) and wait for the exit; kill -9 if it does not exit in time.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        if (_process.HasExited)
        {
            StopOutcome = $"had already exited (code {SafeExitCode()})";
            return;
        }
        var stopping = Stopwatch.StartNew();
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString() }, UseShellExecute = false });
            if (kill is not null) await kill.WaitForExitAsync();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no `kill` binary: fall through to the hard kill below
        }
        using var cts = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            StopOutcome = $"SIGTERM, exit code {SafeExitCode()} after {stopping.Elapsed.TotalSeconds:F2} s";
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: contiv-master (pid {Pid}) ignored SIGTERM for {StopTimeout.TotalSeconds:0} s; killing it");
            HardKill();
            StopOutcome = $"ignored SIGTERM for {StopTimeout.TotalSeconds:0} s; killed";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally
        {
            HardKill();
            _process.Dispose();
            DeleteDir(DataDir);
        }
    }

    private void HardKill()
    {
        try
        {
            if (_process.HasExited) return;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptOutputLines) _output.Dequeue();
        }
        if (line.Contains(ReadyMarker, StringComparison.Ordinal)) _ready.TrySetResult();
    }

    private string SafeExitCode()
    {
        try { return _process.ExitCode.ToString(); }
        catch (InvalidOperationException) { return "?"; }
    }


    private static void DeleteDir(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException e) { Console.Error.WriteLine($"warning: could not delete {dir}: {e.Message}"); }
        catch (UnauthorizedAccessException e) { Console.Error.WriteLine($"warning: could not delete {dir}: {e.Message}"); }
    }
}
