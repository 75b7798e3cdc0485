using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Contiv.Master.Gateway;

/// <summary>
/// A client may send its request, shut down its sending side (<c>shutdown(SHUT_WR)</c>, <c>nc -N</c>,
/// scripts that close stdin) and still wait for the answer: legal TCP and HTTP/1.1. Kestrel takes that
/// FIN for the end of the connection twice over: its parser refuses a body that arrives together with
/// the end of input ("Unexpected end of request content"), and the socket transport reports the
/// connection closed, which aborts the request in flight and drops its answer. This context hides both:
/// the end of input is shown only once everything before it has been read, and the close is passed on
/// after <c>contiv.master.limits.half-close-grace</c> (longer than the request timeout), so a request
/// whose client vanished is still cancelled in the end. A peer that really left makes the answer's
/// write fail at once; Kestrel closes the connection after the answer, as it would at any end of input.
/// </summary>
public sealed class HalfCloseTolerantConnection : ConnectionContext
{
    private readonly ConnectionContext inner;
    private readonly CancellationTokenSource closed = new();
    private readonly CancellationTokenRegistration watch;
    private IDuplexPipe transport;

    private HalfCloseTolerantConnection(ConnectionContext inner, TimeSpan grace)
    {
        this.inner = inner;
        transport = new Pipe(new EndOfInputAfterData(inner.Transport.Input), inner.Transport.Output);
        watch = inner.ConnectionClosed.Register(() =>
        {
            try { closed.CancelAfter(grace); }
            catch (ObjectDisposedException) { /* the connection already ended */ }
        });
    }

    /// <summary>Last on the listener (after TLS), so that what it guards is what the HTTP parser reads.</summary>
    public static void Use(ListenOptions listen, TimeSpan grace) =>
        listen.Use(next => async connection =>
        {
            await using var tolerant = new HalfCloseTolerantConnection(connection, grace);
            await next(tolerant);
        });

    public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }
    public override IFeatureCollection Features => inner.Features;
    public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }
    public override IDuplexPipe Transport { get => transport; set => transport = value; }
    public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }
    public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }
    public override CancellationToken ConnectionClosed { get => closed.Token; set => throw new NotSupportedException(); }
    public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

    public override async ValueTask DisposeAsync()
    {
        await watch.DisposeAsync();
        closed.Dispose();
    }

    private sealed record Pipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>
    /// Shows the end of input only when the reader has looked at everything before it: a read that
    /// brings data and the end together is shown as data alone; the next read, once all of it was
    /// examined, shows the end.
    /// </summary>
    private sealed class EndOfInputAfterData(PipeReader inner) : PipeReader
    {
        private ReadOnlySequence<byte> shown;
        private bool endHidden;
        private bool examinedAll;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            Show(await inner.ReadAsync(cancellationToken));

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out var read)) { result = default; return false; }
            result = Show(read);
            return true;
        }

        private ReadResult Show(ReadResult read)
        {
            shown = read.Buffer;
            var hide = read.IsCompleted && !read.Buffer.IsEmpty && !(endHidden && examinedAll);
            endHidden = hide;
            examinedAll = false;
            return hide ? new ReadResult(read.Buffer, read.IsCanceled, isCompleted: false) : read;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            examinedAll = shown.Slice(examined).IsEmpty;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}
