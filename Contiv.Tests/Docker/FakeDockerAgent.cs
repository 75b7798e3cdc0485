using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Contiv.Tests.Docker;

/// <summary>
/// Stands in for the host agent's Docker driver socket: a unix-socket HTTP/1.1 server (keep-alive)
/// answering libnetwork's remote network and IPAM driver calls with fixed answers, and recording
/// each request's path and body and each connection it accepted.
/// </summary>
public sealed class FakeDockerAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string Path, string Body)> _requests = new();
    private readonly Task _accepting;
    private readonly string _scope;
    private int _connections;

    public string SocketPath { get; }

    /// <summary>The request paths in the order they arrived.</summary>
    public IReadOnlyList<string> Paths => _requests.Select(r => r.Path).ToList();

    public IReadOnlyList<(string Path, string Body)> Requests => _requests.ToList();

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private FakeDockerAgent(string socketPath, string scope)
    {
        SocketPath = socketPath;
        _scope = scope;
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        File.Delete(socketPath);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(16);
        _accepting = AcceptAsync();
    }

    /// <summary>Listens on <paramref name="socketPath"/>; the network driver reports <paramref name="scope"/>.</summary>
    public static FakeDockerAgent Start(string socketPath, string scope = "local") => new(socketPath, scope);

    public string Answer(string path) => path switch
    {
        "/NetworkDriver.GetCapabilities" => $"{{\"Scope\":\"{_scope}\"}}",
        "/IpamDriver.GetCapabilities" => "{\"RequiresMACAddress\":false}",
        "/IpamDriver.GetDefaultAddressSpaces" => "{\"LocalDefaultAddressSpace\":\"l\",\"GlobalDefaultAddressSpace\":\"g\"}",
        "/IpamDriver.RequestPool" => "{\"PoolID\":\"p\",\"Pool\":\"10.99.0.0/24\",\"Data\":{}}",
        "/IpamDriver.RequestAddress" => "{\"Address\":\"10.99.0.1/24\",\"Data\":{}}",
        _ => "{}",
    };

    private async Task AcceptAsync()
    {
        var serving = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                serving.Add(ServeAsync(new UnixHttpConnection(socket)));
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        await Task.WhenAll(serving);
    }

    private async Task ServeAsync(UnixHttpConnection connection)
    {
        await using (connection)
        {
            try
            {
                using var stopped = _stop.Token.Register(connection.Abort);
                while (await connection.ReadAsync() is { } request)
                {
                    var path = request.StartLine.Split(' ')[1];
                    _requests.Enqueue((path, request.BodyText));
                    await connection.RespondAsync(Answer(path));
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        }
    }

    private int _disposed;

    /// <summary>Stops listening and closes its connections (again: nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        if (File.Exists(SocketPath)) File.Delete(SocketPath);
        _stop.Dispose();
    }
}
