using System.Diagnostics;

namespace Contiv.Lab;

/// <summary>
/// TCP traffic for dataplane tests: an echo server inside one namespace and a line-driven client
/// in another (python3, on every machine of this project), so a test can keep one connection open
/// across a policy change and try new ones.
/// </summary>
public sealed class TcpEchoServer : IDisposable
{
    private const string Script = """
        import socket, threading
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", PORT)); s.listen(16); print("listening", flush=True)
        def serve(c):
            while True:
                d = c.recv(1024)
                if not d: break
                c.sendall(d)
        while True:
            c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
        """;

    private readonly Process _process;

    private TcpEchoServer(Process process) => _process = process;

    public static async Task<TcpEchoServer> StartAsync(string ns, int port)
    {
        var process = TcpPeer.StartPython(ns, Script.Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (line != "listening") throw new InvalidOperationException($"echo server did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        return new TcpEchoServer(process);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}

/// <summary>One TCP connection kept open: each <see cref="EchoAsync"/> sends a line and waits for it back.</summary>
public sealed class TcpPeer : IDisposable
{
    private const string Script = """
        import socket, sys
        c = socket.create_connection((HOST, PORT), timeout=3)
        c.settimeout(3)
        print("connected", flush=True)
        for line in sys.stdin:
            try:
                c.sendall(line.encode()); d = c.recv(1024)
                print("echo " + d.decode().strip() if d else "closed", flush=True)
            except Exception as e:
                print("error " + type(e).__name__, flush=True)
        """;

    private readonly Process _process;

    private TcpPeer(Process process) => _process = process;

    /// <summary>Connects, or answers null when no connection can be made within 3 s.</summary>
    public static async Task<TcpPeer?> ConnectAsync(string ns, string host, int port)
    {
        var process = StartPython(ns, Script.Replace("HOST", $"\"{host}\"").Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (line == "connected") return new TcpPeer(process);
        if (!process.HasExited) process.Kill();
        process.Dispose();
        return null;
    }

    /// <summary>True when the text came back over the connection within 3 s.</summary>
    public async Task<bool> EchoAsync(string text)
    {
        await _process.StandardInput.WriteLineAsync(text);
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return line == "echo " + text;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }

    public static Process StartPython(string ns, string script)
    {
        var psi = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "netns", "exec", ns, "python3", "-u", "-c", script }) psi.ArgumentList.Add(arg);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start python3");
        Live[process] = 0;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Live.TryRemove(process, out _);
        return process;
    }

    // A python left running in a container namespace would keep that namespace alive after `ip netns del`:
    // those of a process that exits without disposing them are killed (by PID; `ip netns exec` execs python).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Process, byte> Live = new();

    static TcpPeer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Live.Keys)
            {
                try { if (!process.HasExited) process.Kill(); }
                catch (InvalidOperationException) { }
            }
        };
    }
}
