using System.Diagnostics;
using System.Text;

namespace Contiv.Lab;

/// <summary>
/// A child process of the lab (a master, an agent), its output kept for failure messages, waited
/// for until it prints its ready line, and stopped by its PID only.
/// </summary>
public sealed class LabProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _markers = [];

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once it has exited, else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public Task WaitForExitAsync(CancellationToken cancellation = default) => _process.WaitForExitAsync(cancellation);

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private LabProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    // Children of a test run that ends without disposing them are killed (by their PIDs) when it exits.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<LabProcess, byte> Live = new();

    static LabProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Live.Keys)
            {
                try { if (!process._process.HasExited) process._process.Kill(); }
                catch (InvalidOperationException) { }
            }
        };
    }

    /// <summary>Starts <paramref name="command"/> (no shell) and returns once it printed <paramref name="readyMarker"/>.</summary>
    public static async Task<LabProcess> StartAsync(string name, IReadOnlyList<string> command, string readyMarker, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1)) psi.ArgumentList.Add(argument);
        var lab = new LabProcess(name, new Process { StartInfo = psi, EnableRaisingEvents = true });
        var ready = lab.WhenPrinted(readyMarker);
        lab._process.OutputDataReceived += (_, e) => lab.Take(e.Data);
        lab._process.ErrorDataReceived += (_, e) => lab.Take(e.Data);
        lab._process.Start();
        Live[lab] = 0;
        lab._process.BeginOutputReadLine();
        lab._process.BeginErrorReadLine();
        try
        {
            await lab.WaitAsync(ready, readyMarker, timeout);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when a line containing <paramref name="marker"/> is printed from now on.</summary>
    public Task WhenPrinted(string marker)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output) _markers.Add((marker, seen));
        return seen.Task;
    }

    public async Task WaitAsync(Task printed, string marker, TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(printed, exited, Task.Delay(timeout));
        if (first == printed) return;
        if (first == exited)
        {
            await Task.Delay(200); // the last lines
            throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing \"{marker}\":\n{Output}");
        }
        throw new TimeoutException($"{Name} did not print \"{marker}\" within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    private void Take(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var (marker, seen) in _markers.Where(m => line.Contains(m.Marker, StringComparison.Ordinal)).ToList())
            {
                seen.TrySetResult();
                _markers.Remove((marker, seen));
            }
        }
    }

    /// <summary>kill -9: no chance to clean up, as a crash.</summary>
    public async Task KillHardAsync()
    {
        if (_process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } }))
            await term!.WaitForExitAsync();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            await KillHardAsync();
        }
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Live.TryRemove(this, out _);
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
