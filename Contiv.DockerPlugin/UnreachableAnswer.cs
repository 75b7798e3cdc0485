using System.Net.Sockets;
using System.Text;

namespace Contiv.DockerPlugin;

/// <summary>
/// What dockerd gets when the agent's socket cannot be connected: its request is read (headers and
/// a Content-Length body), answered with HTTP 200 and a JSON body carrying the error, and the
/// connection closed. libnetwork reads a remote network driver's error from <c>Err</c> but a remote
/// IPAM driver's from <c>Error</c> (its response type has no JSON tag): the body has both, so that
/// either driver's calls fail with this message.
/// The three calls dockerd makes when it enables the plugin are answered as the agent would
/// (<see cref="Constant"/>): if they failed, dockerd would not register the drivers at all, and an
/// agent that starts after dockerd (at boot, or after a restart) would find the plugin dead until
/// someone disabled and enabled it again.
/// </summary>
internal static class UnreachableAnswer
{
    private const int MaxHeaderBytes = 64 * 1024;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The answers to the calls of plugin activation, the same as the agent's Docker driver gives for the
    /// managed plugin (global scope); a test compares them with the agent's.
    /// </summary>
    public static string? Constant(string path) => path switch
    {
        "/NetworkDriver.GetCapabilities" => """{"Scope":"global","ConnectivityScope":"global"}""",
        "/IpamDriver.GetCapabilities" => """{"RequiresMACAddress":false,"RequiresRequestReplay":false}""",
        "/IpamDriver.GetDefaultAddressSpaces" => """{"LocalDefaultAddressSpace":"contiv-local","GlobalDefaultAddressSpace":"contiv-global"}""",
        _ => null,
    };

    /// <summary>
    /// Reads one request's headers and its Content-Length body (a chunked body is not waited for) and
    /// answers its path: null when the connection closed before a request began (dockerd dials the socket
    /// once and closes it at once when it enables the plugin, to see it is there). Throws
    /// <see cref="InvalidDataException"/>, <see cref="SocketException"/> or
    /// <see cref="OperationCanceledException"/> (no whole request within 30 s) when it cannot.
    /// </summary>
    public static async Task<string?> ReadRequestAsync(Socket client)
    {
        using var timeout = new CancellationTokenSource(ReadLimit);
        return await ReadAsync(client, timeout.Token);
    }

    /// <summary>Answers the request read (its constant answer, or the error) and ends the connection's sending.</summary>
    public static async Task AnswerAsync(Socket client, string path, string agentSocket, string reason)
    {
        var body = Encoding.UTF8.GetBytes(Constant(path) ?? Body(agentSocket, reason));
        var head = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: application/vnd.docker.plugins.v1+json\r\n" +
            $"Content-Length: {body.Length}\r\n" +
            "Connection: close\r\n\r\n");
        try
        {
            await client.SendAsync(head, SocketFlags.None);
            await client.SendAsync(body, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // dockerd gave up on this connection: it has its own error for that.
        }
    }

    public static string Body(string agentSocket, string reason)
    {
        var message = Escape($"contiv agent not reachable at {agentSocket}: {reason}; " +
                             "is contiv-agent running with --docker-plugin-socket on this socket (in the directory the plugin's agent mount names)?");
        return $"{{\"Err\":\"{message}\",\"Error\":\"{message}\"}}";
    }

    private static async Task<string?> ReadAsync(Socket client, CancellationToken cancel)
    {
        var buffer = new byte[MaxHeaderBytes];
        var length = 0;
        int end;
        while ((end = HeaderEnd(buffer.AsSpan(0, length))) < 0)
        {
            if (length == buffer.Length) throw new InvalidDataException($"request headers longer than {MaxHeaderBytes} bytes");
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancel);
            if (read == 0)
            {
                if (length == 0) return null;
                throw new InvalidDataException("connection closed within the request headers");
            }
            length += read;
        }
        var headers = Encoding.ASCII.GetString(buffer, 0, end);
        var remaining = ContentLength(headers) - (length - end);
        while (remaining > 0)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), SocketFlags.None, cancel);
            if (read == 0) throw new InvalidDataException("connection closed within the request body");
            remaining -= read;
        }
        // "POST /NetworkDriver.GetCapabilities HTTP/1.1"
        var requestLine = headers.Split("\r\n")[0].Split(' ');
        return requestLine.Length >= 2 ? requestLine[1] : "";
    }

    /// <summary>The offset just past the blank line ending the headers, or -1.</summary>
    private static int HeaderEnd(ReadOnlySpan<byte> data)
    {
        var at = data.IndexOf("\r\n\r\n"u8);
        return at < 0 ? -1 : at + 4;
    }

    private static long ContentLength(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(line.AsSpan(colon + 1).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return value;
        }
        return 0;
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': escaped.Append("\\\""); break;
                case '\\': escaped.Append("\\\\"); break;
                case < ' ': escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }
}
