using System.Collections.Concurrent;
using System.Net.Sockets;
using Contiv.Collections;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>
/// One OpenFlow 1.3 session with a switch. The reader loop frames messages by their header length,
/// answers the switch's echo requests and completes requests by xid; any protocol violation closes
/// the session and fails every waiting request with an <see cref="OpenFlowProtocolException"/>.
/// Operations (barrier, multipart, flow mods, bundles) are in the other parts of this class.
/// </summary>
public sealed partial class OpenFlowConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly OpenFlowSettings _settings;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<uint, Pending> _pending = new();
    private readonly ConcurrentDictionary<uint, ErrorCollector> _watched = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _xid;
    private int _isClosed;
    private Task _readLoop = Task.CompletedTask;
    private Task _echoLoop = Task.CompletedTask;

    private OpenFlowConnection(Socket socket, OpenFlowTarget target, OpenFlowSettings settings)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _settings = settings;
        Target = target;
    }

    public OpenFlowTarget Target { get; }

    /// <summary>The switch's features reply (datapath id, number of tables).</summary>
    public FeaturesReply Features { get; private set; } = null!;

    /// <summary>Completes when the session ends; faulted with the reason when it ended by an error.</summary>
    public Task Completion => _closed.Task;

    public bool IsConnected => Volatile.Read(ref _isClosed) == 0;

    /// <summary>Errors the switch sent for xids nobody waited for (kept for diagnosis, bounded).</summary>
    public ConcurrentQueue<OfpEnvelope> UnmatchedErrors { get; } = new();

    /// <summary>Connects, exchanges hellos (1.3 only), starts the reader and echo loops and asks for the features.</summary>
    public static async Task<OpenFlowConnection> ConnectAsync(string target, OpenFlowSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= OpenFlowSettings.Default;
        var parsed = OpenFlowTarget.Parse(target);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        var socket = parsed.CreateSocket();
        OpenFlowConnection? connection = null;
        try
        {
            await socket.ConnectAsync(parsed.EndPoint, timeout.Token);
            connection = new OpenFlowConnection(socket, parsed, settings);
            await connection.HandshakeAsync(timeout.Token);
            connection._readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            connection.Features = (FeaturesReply)await connection.RequestAsync(new FeaturesRequest(), timeout.Token);
            connection._echoLoop = Task.Run(connection.EchoLoopAsync, CancellationToken.None);
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null) await connection.DisposeAsync();
            else socket.Dispose();
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"OpenFlow connect to {target} did not complete within {settings.ConnectTimeout}", ex);
            if (ex is SocketException or IOException)
                throw new OpenFlowProtocolException($"OpenFlow connect to {target} failed: {ex.Message}", ex);
            throw;
        }
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(OpenFlowCodec.Encode(new Hello(), NextXid()), cancellationToken);
        var first = await ReadMessageAsync(cancellationToken);
        if (first.Message is not Hello hello)
            throw new OpenFlowProtocolException($"{Target.Text}: expected HELLO, got {first.Message}");
        if (hello.Negotiate() is null)
        {
            var refusal = new ErrorMessage(0, 0, System.Text.Encoding.ASCII.GetBytes("we speak OpenFlow 1.3 (0x04) only"));
            await WriteAsync(OpenFlowCodec.Encode(refusal, first.Xid), cancellationToken);
            var offered = hello.VersionBitmap is { } bitmap ? $"bitmap 0x{bitmap:x}" : $"version 0x{hello.Version:x2}";
            throw new OpenFlowProtocolException($"{Target.Text}: the switch does not speak OpenFlow 1.3 (it offered {offered}); set protocols=OpenFlow13 on the bridge");
        }
    }

    public uint NextXid()
    {
        while (true)
        {
            var xid = (uint)Interlocked.Increment(ref _xid);
            if (xid != 0) return xid;
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    private async Task<OfpEnvelope> ReadMessageAsync(CancellationToken cancellationToken) =>
        OpenFlowCodec.Decode(await ReadFrameAsync(cancellationToken));

    private async Task<byte[]> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[Ofp.HeaderLength];
        await ReadExactlyAsync(header, cancellationToken);
        var length = OpenFlowCodec.FrameLength(header); // < 8 is an error; a u16 cannot exceed 65535
        var message = new byte[length];
        header.CopyTo(message, 0);
        await ReadExactlyAsync(message.AsMemory(Ofp.HeaderLength), cancellationToken);
        return message;
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException ex)
        {
            throw new OpenFlowProtocolException($"{Target.Text}: the switch closed the connection", ex);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var frame = await ReadFrameAsync(_closing.Token);
                OfpEnvelope envelope;
                try
                {
                    envelope = OpenFlowCodec.Decode(frame);
                }
                catch (OpenFlowDecodeException ex) when (_pending.TryRemove(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(4)), out var request))
                {
                    // Framing is intact: only this reply is beyond us (e.g. a flow with a field we do
                    // not model); the request fails, the session goes on.
                    request.Fail(new OpenFlowDecodeException($"{Target.Text}: reply not understood: {ex.Message}"));
                    continue;
                }
                Dispatch(envelope);
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            Close(null);
        }
        catch (OpenFlowDecodeException ex)
        {
            Close(new OpenFlowProtocolException($"{Target.Text}: protocol error: {ex.Message}", ex));
        }
        catch (Exception ex)
        {
            Close(ex as OpenFlowProtocolException ?? new OpenFlowProtocolException($"{Target.Text}: connection failed: {ex.Message}", ex));
        }
    }

    private void Dispatch(OfpEnvelope envelope)
    {
        var (xid, message) = envelope;
        switch (message)
        {
            case EchoRequest echo:
                _ = SendEchoReplyAsync(xid, echo.Data);
                return;
            case ErrorMessage error:
                if (_pending.TryRemove(xid, out var failed))
                    failed.Fail(new OpenFlowErrorException(error, $"{Target.Text}: request xid 0x{xid:x} failed: {error}"));
                else if (_watched.TryGetValue(xid, out var collector))
                    collector.Add(xid, error);
                else
                {
                    UnmatchedErrors.Enqueue(envelope);
                    while (UnmatchedErrors.Count > 100) UnmatchedErrors.TryDequeue(out _);
                }
                return;
            case IMultipartReply part:
                if (_pending.TryGetValue(xid, out var multipart))
                {
                    multipart.Parts.Add(message);
                    if (!part.More && _pending.TryRemove(xid, out _)) multipart.Complete();
                }
                return;
            default:
                if (_pending.TryRemove(xid, out var pending))
                {
                    pending.Parts.Add(message);
                    pending.Complete();
                }
                return; // asynchronous messages (port status, packet-in) are not used
        }
    }

    private async Task SendEchoReplyAsync(uint xid, ValueArray<byte> data)
    {
        try
        {
            await WriteAsync(OpenFlowCodec.Encode(new EchoReply(data), xid), _closing.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or OpenFlowProtocolException)
        {
            // the reader loop reports the broken connection
        }
    }

    private async Task EchoLoopAsync()
    {
        if (_settings.EchoInterval <= TimeSpan.Zero) return;
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                await Task.Delay(_settings.EchoInterval, _closing.Token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                timeout.CancelAfter(_settings.EchoTimeout);
                try
                {
                    await RequestAsync(new EchoRequest(), timeout.Token);
                }
                catch (OperationCanceledException) when (!_closing.IsCancellationRequested)
                {
                    Close(new OpenFlowProtocolException($"{Target.Text}: no echo reply within {_settings.EchoTimeout}; closing"));
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or OpenFlowProtocolException)
        {
        }
    }

    // ---- writing and requests ------------------------------------------------------------------

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends one message without waiting for anything; returns its xid.</summary>
    public async Task<uint> SendAsync(OfpMessage message, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var xid = NextXid();
        await WriteAsync(OpenFlowCodec.Encode(message, xid), cancellationToken);
        return xid;
    }

    /// <summary>Encodes many messages (with the given xids) into few large writes.</summary>
    private async Task SendManyAsync(IReadOnlyList<(OfpMessage Message, uint Xid)> messages, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var batch = new OfpWriter(Math.Min(_settings.WriteBatchBytes, 1 << 16));
        foreach (var (message, xid) in messages)
        {
            batch.Bytes(OpenFlowCodec.Encode(message, xid));
            if (batch.Position >= _settings.WriteBatchBytes)
            {
                await WriteAsync(batch.ToArray(), cancellationToken);
                batch = new OfpWriter(Math.Min(_settings.WriteBatchBytes, 1 << 16));
            }
        }
        if (batch.Position > 0) await WriteAsync(batch.ToArray(), cancellationToken);
    }

    /// <summary>
    /// Sends a request and waits for its reply (all parts of a multipart reply, concatenated by the
    /// caller). An error reply throws <see cref="OpenFlowErrorException"/>.
    /// </summary>
    public async Task<OfpMessage> RequestAsync(OfpMessage request, CancellationToken cancellationToken = default) =>
        (await RequestPartsAsync(request, cancellationToken))[^1];

    private async Task<IReadOnlyList<OfpMessage>> RequestPartsAsync(OfpMessage request, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var xid = NextXid();
        var pending = new Pending();
        _pending[xid] = pending;
        if (!IsConnected && _pending.TryRemove(xid, out _)) ThrowIfClosed();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.RequestTimeout);
        try
        {
            await WriteAsync(OpenFlowCodec.Encode(request, xid), timeout.Token);
            return await pending.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"{Target.Text}: no reply to {request.GetType().Name} (xid 0x{xid:x}) within {_settings.RequestTimeout}");
        }
        finally
        {
            _pending.TryRemove(xid, out _);
        }
    }

    private void ThrowIfClosed()
    {
        if (!IsConnected)
            throw new OpenFlowProtocolException($"{Target.Text}: the connection is closed", Completion.Exception?.InnerException);
    }

    // ---- closing ------------------------------------------------------------------------------

    private void Close(Exception? reason)
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0) return;
        _closing.Cancel();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stream.Dispose();
        var failure = reason ?? new OpenFlowProtocolException($"{Target.Text}: the connection was closed");
        foreach (var xid in _pending.Keys)
        {
            if (_pending.TryRemove(xid, out var pending)) pending.Fail(failure);
        }
        foreach (var collector in _watched.Values) collector.Abort(failure);
        if (reason is null) _closed.TrySetResult();
        else _closed.TrySetException(reason);
    }

    public async ValueTask DisposeAsync()
    {
        Close(null);
        try { await Task.WhenAll(_readLoop, _echoLoop); } catch (Exception) { /* reported through Completion */ }
        _closing.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>A request waiting for its reply (one message, or multipart parts until one without MORE).</summary>
    private sealed class Pending
    {
        private readonly TaskCompletionSource<IReadOnlyList<OfpMessage>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<OfpMessage> Parts { get; } = [];
        public Task<IReadOnlyList<OfpMessage>> Task => _done.Task;
        public void Complete() => _done.TrySetResult(Parts);
        public void Fail(Exception ex) => _done.TrySetException(ex);
    }

    /// <summary>Collects errors for xids of messages sent without a reply of their own (flow mods, bundle adds).</summary>
    private sealed class ErrorCollector
    {
        private readonly ConcurrentQueue<(uint Xid, ErrorMessage Error)> _errors = new();
        public Exception? Aborted { get; private set; }
        public void Add(uint xid, ErrorMessage error) => _errors.Enqueue((xid, error));
        public void Abort(Exception reason) => Aborted = reason;
        public IReadOnlyList<(uint Xid, ErrorMessage Error)> Errors => [.. _errors];
    }
}
