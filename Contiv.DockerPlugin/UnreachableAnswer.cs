using System.Net.Sockets;
using System.Text;

namespace Contiv.DockerPlugin;

/// <summary>
/// What dockerd gets when the agent's socket cannot be connected: its request is read (headers and
/// a Content-Length body), answered with HTTP 200 and a JSON body whose <c>Err</c> dockerd reports
/// as the driver's error, and the connection closed.
/// </summary>
internal static class UnreachableAnswer
{
    private const int MaxHeaderBytes = 64 * 1024;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(30);

    public static async Task SendAsync(Socket client, string agentSocket, string reason)
    {
        try
        {
            using (var timeout = new CancellationTokenSource(ReadLimit))
                await ReadRequestAsync(client, timeout.Token);
            var body = Encoding.UTF8.GetBytes(Body(agentSocket, reason));
            var head = Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\n" +
                "Content-Type: application/vnd.docker.plugins.v1+json\r\n" +
                $"Content-Length: {body.Length}\r\n" +
                "Connection: close\r\n\r\n");
            await client.SendAsync(head, SocketFlags.None);
            await client.SendAsync(body, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or InvalidDataException)
        {
            Log.Line($"could not answer a request while the agent is not reachable: {e.Message}");
        }
    }

    public static string Body(string agentSocket, string reason) =>
        "{\"Err\":\"" + Escape($"contiv agent not reachable at {agentSocket}: {reason}; is contiv-agent running with --docker-socket {agentSocket}?") + "\"}";

    /// <summary>Reads one request's headers and its Content-Length body (a chunked body is not waited for).</summary>
    private static async Task ReadRequestAsync(Socket client, CancellationToken cancel)
    {
        var buffer = new byte[MaxHeaderBytes];
        var length = 0;
        int end;
        while ((end = HeaderEnd(buffer.AsSpan(0, length))) < 0)
        {
            if (length == buffer.Length) throw new InvalidDataException($"request headers longer than {MaxHeaderBytes} bytes");
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancel);
            if (read == 0) return; // closed before a whole request: nothing to answer, the send fails quietly or goes nowhere
            length += read;
        }
        var remaining = ContentLength(Encoding.ASCII.GetString(buffer, 0, end)) - (length - end);
        while (remaining > 0)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), SocketFlags.None, cancel);
            if (read == 0) return;
            remaining -= read;
        }
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
