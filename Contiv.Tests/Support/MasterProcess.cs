using Contiv.Lab;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Contiv.Tests.Support;

/// <summary>
/// A real contiv-master child process on loopback with its own data directory (a real SQLite
/// journal). Tests talk to it over HTTP exactly as netctl does, and can kill -9 it.
/// </summary>
public sealed class MasterProcess : IAsyncDisposable
{
    public const string ReadyMarker = "contiv-master ready";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _ownsDataDir;

    public string DataDir { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public int Pid => _process.Id;
    public string FwdMode { get; }
    public bool HasExited => _process.HasExited;

    private MasterProcess(Process process, string dataDir, int port, bool ownsDataDir, string fwdMode)
    {
        _process = process;
        DataDir = dataDir;
        Port = port;
        _ownsDataDir = ownsDataDir;
        FwdMode = fwdMode;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string NewDataDir() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "contiv-test-" + Guid.NewGuid().ToString("N"))).FullName;

    public static async Task<MasterProcess> StartAsync(string? dataDir = null, string fwdMode = "bridge",
        IEnumerable<string>? extraArgs = null, int? port = null)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= NewDataDir();
        var listenPort = port ?? Contiv.Lab.LocalPorts.FreeTcpPort();
        var masterDll = Path.Combine(AppContext.BaseDirectory, "contiv-master.dll");
        if (!File.Exists(masterDll))
            throw new FileNotFoundException("contiv-master.dll is not beside the tests; is Contiv.Master referenced?", masterDll);

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(masterDll);
        psi.ArgumentList.Add("--listen");
        psi.ArgumentList.Add($"127.0.0.1:{listenPort}");
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(dataDir);
        psi.ArgumentList.Add("--fwd-mode");
        psi.ArgumentList.Add(fwdMode);
        foreach (var arg in extraArgs ?? []) psi.ArgumentList.Add(arg);

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var master = new MasterProcess(process, dataDir, listenPort, ownsDataDir, fwdMode);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => master.Capture(e.Data, ready);
        process.ErrorDataReceived += (_, e) => master.Capture(e.Data, ready);
        process.Exited += (_, _) =>
        {
            // Exited can fire before the last lines are read: wait for the output streams to close.
            process.WaitForExit();
            ready.TrySetException(new InvalidOperationException($"contiv-master exited early:\n{master.Output}"));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(ready.Task, Task.Delay(StartTimeout));
        if (finished != ready.Task)
        {
            master.Kill();
            throw new TimeoutException($"contiv-master not ready within {StartTimeout}:\n{master.Output}");
        }
        await ready.Task;
        return master;
    }

    private void Capture(string? line, TaskCompletionSource ready)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains(ReadyMarker, StringComparison.Ordinal)) ready.TrySetResult();
    }

    /// <summary>kill -9: no shutdown hooks, no flush.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM and wait for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        SendSigterm(_process.Id);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { Kill(); }
    }

    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Kill();
        _process.Dispose();
        await Task.CompletedTask;
        if (_ownsDataDir)
        {
            try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }


    private static void SendSigterm(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString() } });
        kill?.WaitForExit();
    }
}
