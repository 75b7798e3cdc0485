using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Contiv.Dataplane.Ovs.Ovsdb;

public sealed record OvsdbClientOptions
{
    /// <summary>How long a request waits for its reply (a <c>wait</c> operation's own timeout adds to it).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A single JSON message larger than this is a protocol error (bounds memory on garbage).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;
}

/// <summary>
/// An OVSDB (RFC 7047) JSON-RPC client over a unix socket or TCP (<c>unix:/path</c>, <c>tcp:HOST:PORT</c>).
/// Requests carry numeric ids and are matched with their replies by a single reader loop; the server's
/// <c>echo</c> requests are answered; <c>update</c> notifications go to their <see cref="OvsdbMonitor"/>.
/// Anything that is not OVSDB JSON-RPC, or the connection closing, fails every request in flight and
/// every monitor with an <see cref="OvsdbProtocolException"/> and closes the client (see <see cref="Completion"/>).
/// </summary>
public sealed class OvsdbClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly OvsdbClientOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly ConcurrentDictionary<string, OvsdbMonitor> _monitors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private long _nextMonitor;
    private Exception? _failure; // set once, under Interlocked
    private int _disposed;
    private Task _reader = Task.CompletedTask;

    private OvsdbClient(Socket socket, string target, OvsdbClientOptions options)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        Target = target;
    }

    public string Target { get; }

    /// <summary>Completes when the connection is gone: normally after <see cref="DisposeAsync"/>, faulted
    /// with the reason if the server closed it or broke the protocol.</summary>
    public Task Completion => _completion.Task;

    public static async Task<OvsdbClient> ConnectAsync(string target, OvsdbClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OvsdbClientOptions();
        var endPoint = ParseTarget(target);
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(endPoint, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new OvsdbProtocolException($"cannot connect to OVSDB at {target}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var client = new OvsdbClient(socket, target, options);
        client._reader = Task.Run(client.ReadLoop);
        return client;
    }

    /// <summary><c>unix:/path</c> or <c>tcp:ADDRESS:PORT</c> (IPv6 in brackets), as ovs-vsctl spells them.</summary>
    public static EndPoint ParseTarget(string target)
    {
        if (target.StartsWith("unix:", StringComparison.Ordinal) && target.Length > "unix:".Length)
            return new UnixDomainSocketEndPoint(target["unix:".Length..]);
        if (target.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var rest = target["tcp:".Length..];
            var colon = rest.LastIndexOf(':');
            if (colon > 0 && IPAddress.TryParse(rest[..colon].Trim('[', ']'), out var address)
                && ushort.TryParse(rest[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
                return new IPEndPoint(address, port);
        }
        throw new ArgumentException($"'{target}' is not tcp:ADDRESS:PORT or unix:PATH", nameof(target));
    }

    // ---------------- RFC 7047 methods ----------------

    public async Task<IReadOnlyList<string>> ListDbsAsync(CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync("list_dbs", new JsonArray(), cancellationToken);
        return result is JsonArray names
            ? names.Select(OvsdbValue.ReadString).ToArray()
            : throw new OvsdbProtocolException($"list_dbs returned {result?.ToJsonString() ?? "null"}");
    }

    public async Task<JsonObject> GetSchemaAsync(string db, CancellationToken cancellationToken = default) =>
        await RequestAsync("get_schema", new JsonArray(db), cancellationToken) as JsonObject
        ?? throw new OvsdbProtocolException("get_schema returned no object");

    /// <summary>Round trip to the server (liveness check).</summary>
    public Task EchoAsync(CancellationToken cancellationToken = default) =>
        RequestAsync("echo", new JsonArray("ping"), cancellationToken);

    /// <summary>
    /// Runs <paramref name="operations"/> as one transaction and returns one result object per
    /// operation (e.g. <c>{"uuid": [...]}</c> for insert, <c>{"rows": [...]}</c> for select,
    /// <c>{"count": n}</c> for update/mutate/delete). If any operation or the commit fails nothing
    /// is changed and an <see cref="OvsdbException"/> names the operation and the server's error.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> TransactAsync(string db, IReadOnlyList<JsonObject> operations, CancellationToken cancellationToken = default)
    {
        var parameters = new JsonArray(db);
        foreach (var op in operations) parameters.Add(op.DeepClone());
        var result = await RequestAsync("transact", parameters, cancellationToken, ExtraWait(operations));
        if (result is not JsonArray results)
            throw new OvsdbProtocolException($"transact returned {result?.ToJsonString() ?? "null"}");
        var list = new List<JsonObject>(operations.Count);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] is JsonObject r && r.ContainsKey("error"))
            {
                var (error, details) = OvsdbException.Read(r);
                throw new OvsdbException("transact", error, details, i,
                    i < operations.Count ? OvsdbOp.Describe(operations[i]) : "commit");
            }
            if (i < operations.Count)
                list.Add(results[i] as JsonObject ?? throw new OvsdbProtocolException($"transact result {i} is {results[i]?.ToJsonString() ?? "null"}"));
        }
        if (list.Count != operations.Count)
            throw new OvsdbProtocolException($"transact returned {list.Count} results for {operations.Count} operations");
        return list;
    }

    /// <summary>
    /// <c>monitor</c>: returns once the server sent the current rows (<see cref="OvsdbMonitor.Initial"/>);
    /// later changes arrive on <see cref="OvsdbMonitor.Updates"/>.
    /// </summary>
    public async Task<OvsdbMonitor> MonitorAsync(string db, IReadOnlyList<OvsdbMonitorRequest> tables, CancellationToken cancellationToken = default)
    {
        var id = "m" + Interlocked.Increment(ref _nextMonitor);
        var monitor = new OvsdbMonitor(this, id);
        var requests = new JsonObject();
        foreach (var t in tables) requests[t.Table] = t.ToJson();
        _monitors[id] = monitor; // before the request: updates may follow the reply at once
        try
        {
            var initial = await RequestAsync("monitor", new JsonArray(db, id, requests), cancellationToken);
            monitor.Initial = OvsdbRowUpdate.Parse(initial);
            return monitor;
        }
        catch (Exception e)
        {
            _monitors.TryRemove(id, out _);
            monitor.Complete(e);
            throw;
        }
    }

    public Task<OvsdbMonitor> MonitorAsync(string db, string table, IReadOnlyList<string>? columns = null, CancellationToken cancellationToken = default) =>
        MonitorAsync(db, [new OvsdbMonitorRequest(table, columns)], cancellationToken);

    internal async Task CancelMonitorAsync(OvsdbMonitor monitor, CancellationToken cancellationToken)
    {
        if (!_monitors.TryRemove(monitor.Id, out _)) return;
        try
        {
            await RequestAsync("monitor_cancel", new JsonArray(monitor.Id), cancellationToken);
        }
        finally
        {
            monitor.Complete(null);
        }
    }

    // ---------------- JSON-RPC plumbing ----------------

    /// <summary>Sends a request and returns its "result"; a non-null "error" becomes an <see cref="OvsdbException"/>.</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default, TimeSpan extraTimeout = default)
    {
        if (Volatile.Read(ref _failure) is { } failure) throw Closed(failure);
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            if (Volatile.Read(ref _failure) is { } f) throw Closed(f); // failed between the check and the registration
            await SendAsync(new JsonObject { ["method"] = method, ["params"] = parameters, ["id"] = id }, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout + extraTimeout);
            try
            {
                var message = await reply.Task.WaitAsync(timeout.Token);
                var (error, details) = OvsdbException.Read(message?["error"]);
                if (error is not null) throw new OvsdbException(method, error, details);
                return message?["result"];
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"OVSDB {method} to {Target}: no reply within {_options.RequestTimeout + extraTimeout}");
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            var error = new OvsdbProtocolException($"OVSDB connection to {Target} failed while sending: {e.Message}", e);
            Fail(error);
            throw error;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoop()
    {
        var framer = new OvsdbFramer(_options.MaxMessageBytes);
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(framer.GetWriteBuffer(), _stop.Token);
                if (read == 0)
                {
                    throw new OvsdbProtocolException(framer.HasPartialMessage
                        ? $"OVSDB server {Target} closed the connection in the middle of a message"
                        : $"OVSDB server {Target} closed the connection");
                }
                framer.Commit(read);
                while (framer.TryRead(out var text))
                {
                    JsonNode? message;
                    try
                    {
                        message = JsonNode.Parse(text.Span);
                    }
                    catch (JsonException e)
                    {
                        throw new OvsdbProtocolException($"OVSDB server {Target} sent invalid JSON: {e.Message}", e);
                    }
                    await Dispatch(message as JsonObject ?? throw new OvsdbProtocolException("an OVSDB message must be a JSON object"));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            Fail(null);
        }
        catch (OvsdbProtocolException e)
        {
            Fail(e.Message.Contains(Target, StringComparison.Ordinal) ? e : new OvsdbProtocolException($"OVSDB server {Target}: {e.Message}", e));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Fail(_stop.IsCancellationRequested ? null : new OvsdbProtocolException($"OVSDB connection to {Target} failed: {e.Message}", e));
        }
        catch (Exception e)
        {
            Fail(new OvsdbProtocolException($"OVSDB client for {Target} failed: {e.Message}", e));
        }
    }

    private async Task Dispatch(JsonObject message)
    {
        if (message.TryGetPropertyValue("method", out var methodNode))
        {
            var method = methodNode is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>() : throw new OvsdbProtocolException($"OVSDB message with a non-string method: {Truncate(message)}");
            var id = message["id"];
            var parameters = message["params"] as JsonArray;
            switch (method)
            {
                case "echo" when id is not null:
                    await SendAsync(new JsonObject { ["result"] = parameters?.DeepClone() ?? new JsonArray(), ["error"] = null, ["id"] = id.DeepClone() }, _stop.Token);
                    return;
                case "update" when parameters is { Count: 2 }:
                    if (parameters[0] is JsonValue mid && mid.GetValueKind() == JsonValueKind.String
                        && _monitors.TryGetValue(mid.GetValue<string>(), out var monitor))
                        monitor.Deliver(OvsdbRowUpdate.Parse(parameters[1]));
                    return;
                case "update":
                    throw new OvsdbProtocolException($"malformed OVSDB update: {Truncate(message)}");
                default:
                    if (id is not null)
                        await SendAsync(new JsonObject { ["result"] = null, ["error"] = $"unknown method {method}", ["id"] = id.DeepClone() }, _stop.Token);
                    return; // notifications we do not use (locked, stolen, ...)
            }
        }
        if (!message.TryGetPropertyValue("id", out var replyId) || !(message.ContainsKey("result") || message.ContainsKey("error")))
            throw new OvsdbProtocolException($"OVSDB message is neither request nor reply: {Truncate(message)}");
        if (replyId is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<long>(out var number)
            && _pending.TryGetValue(number, out var pending))
            pending.TrySetResult(message);
        // a reply nobody waits for (timed out or cancelled) is dropped
    }

    private static string Truncate(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length <= 200 ? text : text[..200] + "...";
    }

    private Exception Closed(Exception failure) =>
        failure as OvsdbProtocolException ?? new OvsdbProtocolException($"OVSDB client for {Target} is closed", failure);

    private void Fail(Exception? error)
    {
        var reason = error ?? new ObjectDisposedException(nameof(OvsdbClient), $"OVSDB client for {Target} was disposed");
        Interlocked.CompareExchange(ref _failure, reason, null);
        var failure = Closed(Volatile.Read(ref _failure)!);
        foreach (var (id, pending) in _pending)
            if (_pending.TryRemove(id, out _)) pending.TrySetException(failure);
        foreach (var (id, monitor) in _monitors)
            if (_monitors.TryRemove(id, out _)) monitor.Complete(error is null ? null : failure);
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
        if (error is null) _completion.TrySetResult();
        else _completion.TrySetException(failure);
    }

    private static TimeSpan ExtraWait(IReadOnlyList<JsonObject> operations)
    {
        var ms = 0L;
        foreach (var op in operations)
            if (op["op"]?.ToString() == "wait" && op["timeout"] is JsonValue t && t.TryGetValue<long>(out var timeout)) ms += timeout;
        return TimeSpan.FromMilliseconds(ms);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        Fail(null);
        try { await _reader; } catch (Exception) { /* the reader reports through Completion */ }
        _stream.Dispose();
        _stop.Dispose();
    }
}
