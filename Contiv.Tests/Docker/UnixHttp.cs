using System.Net.Sockets;
using System.Text;

namespace Contiv.Tests.Docker;

/// <summary>One HTTP/1.1 message as read off a socket: request or status line, headers, Content-Length body.</summary>
public sealed record HttpMessage(string StartLine, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A plain HTTP/1.1 connection over a unix socket, as dockerd's plugin client makes (keep-alive,
/// Content-Length bodies): for the fake agent's side and for the tests' requests.
/// </summary>
public sealed class UnixHttpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly BufferedStream _stream;

    public UnixHttpConnection(Socket socket)
    {
        _socket = socket;
        _stream = new BufferedStream(new NetworkStream(socket, ownsSocket: true));
    }

    public static async Task<UnixHttpConnection> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
            return new UnixHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> and reads the answer (null: the connection closed first).</summary>
    public async Task<HttpMessage?> PostAsync(string path, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await WriteAsync($"POST {path} HTTP/1.1\r\nHost: plugin\r\nUser-Agent: contiv-tests\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n" +
                         $"Content-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n", bytes);
        return await ReadAsync();
    }

    public Task RespondAsync(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.plugins.v1+json\r\nContent-Length: {bytes.Length}\r\n\r\n", bytes);
    }

    private async Task WriteAsync(string head, byte[] body)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await _stream.WriteAsync(body);
        await _stream.FlushAsync();
    }

    /// <summary>The next message, or null when the peer closed the connection before one began.</summary>
    public async Task<HttpMessage?> ReadAsync()
    {
        var startLine = await ReadLineAsync();
        if (startLine is null) return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await ReadLineAsync() is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body);
        return new HttpMessage(startLine, headers, body);
    }

    private async Task<string?> ReadLineAsync()
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await _stream.ReadAsync(one) == 0)
            {
                if (line.Count == 0) return null;
                throw new EndOfStreamException($"connection closed within a line: {Encoding.ASCII.GetString([.. line])}");
            }
            if (one[0] == '\n') break;
            line.Add(one[0]);
        }
        if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
        return Encoding.ASCII.GetString([.. line]);
    }

    /// <summary>Closes the socket under a read in progress (which then fails).</summary>
    public void Abort() => _socket.Dispose();

    public async ValueTask DisposeAsync()
    {
        try { await _stream.DisposeAsync(); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        _socket.Dispose();
    }
}
