using System.Net.Sockets;

namespace Contiv.DockerPlugin;

/// <summary>
/// Accepts dockerd's connections and joins each to a new connection to the agent's socket, copying
/// bytes both ways: HTTP keep-alive and any number of requests per connection pass unseen. When the
/// agent cannot be reached, the request gets a driver error instead (<see cref="UnreachableAnswer"/>).
/// </summary>
internal sealed class Forwarder(string agentSocket)
{
    private const int BufferSize = 16 * 1024;

    public async Task ServeAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors, say: keep listening, without spinning.
                Log.Line($"accept failed: {e.Message}");
                try { await Task.Delay(100, stop); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            var agent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await agent.ConnectAsync(new UnixDomainSocketEndPoint(agentSocket));
            }
            catch (Exception e) when (e is SocketException or ArgumentException)
            {
                agent.Dispose();
                await AnswerUnreachableAsync(client, Reason(e));
                return;
            }
            using (agent)
            {
                var failures = new Failures();
                await Task.WhenAll(CopyAsync(client, agent, failures), CopyAsync(agent, client, failures));
                if (failures.First is { } failure) Log.Line($"connection to {agentSocket} ended: {failure}");
            }
        }
    }

    private async Task AnswerUnreachableAsync(Socket client, string reason)
    {
        string? path;
        try
        {
            path = await UnreachableAnswer.ReadRequestAsync(client);
            if (path is null) return; // dockerd's look at the socket: no request, no failure
        }
        catch (Exception broken) when (broken is SocketException or InvalidDataException or OperationCanceledException)
        {
            Log.Line($"agent not reachable at {agentSocket}: {reason}; and the request could not be read: {broken.Message}");
            return;
        }
        if (UnreachableAnswer.Constant(path) is null) Log.Line($"agent not reachable at {agentSocket}: {reason}");
        await UnreachableAnswer.AnswerAsync(client, path, agentSocket, reason);
    }

    // .NET reports connect's ENOENT as "Cannot assign requested address" (EADDRNOTAVAIL): say what it is.
    private string Reason(Exception e) =>
        e is SocketException && !File.Exists(agentSocket) && !Directory.Exists(agentSocket) ? "no such socket file" : e.Message;

    /// <summary>
    /// Copies until <paramref name="from"/> ends its sending, then ends sending to <paramref name="to"/>
    /// (a half close: the other direction goes on until its own end). An error ends both directions.
    /// </summary>
    private static async Task CopyAsync(Socket from, Socket to, Failures failures)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0) break;
                for (var sent = 0; sent < read;)
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            failures.Add(e.Message);
            ShutdownQuietly(from);
            ShutdownQuietly(to);
        }
    }

    private static void ShutdownQuietly(Socket socket)
    {
        try { socket.Shutdown(SocketShutdown.Both); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    /// <summary>The first error of a connection's two directions: one log line per connection.</summary>
    private sealed class Failures
    {
        private string? _first;
        public string? First => Volatile.Read(ref _first);
        public void Add(string message) => Interlocked.CompareExchange(ref _first, message, null);
    }
}
