using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Contiv.Bench;

/// <summary>A request of the workload got something other than 200 (or no answer at all, or a list of the wrong length).</summary>
public sealed class RequestFailedException : Exception
{
    public RequestFailedException(Operation operation, string problem, Exception? inner = null)
        : this(operation.Kind.ToString().ToLowerInvariant(), operation.ToString(), problem, inner) { }

    public RequestFailedException(ReadOperation read, string problem, Exception? inner = null)
        : this(read.Name, read.ToString(), problem, inner) { }

    private RequestFailedException(string kind, string request, string problem, Exception? inner)
        : base($"{kind} request failed: {problem}\n  request: {request}", inner) => Request = request;

    /// <summary>The request as it was sent, e.g. "network POST /api/v1/networks/default:net0/ {...}".</summary>
    public string Request { get; }
}

/// <summary>
/// HTTP/1.1 client for the benchmark. Counts the TCP connections it opens (through
/// <see cref="SocketsHttpHandler.ConnectCallback"/>) so a scenario can prove that it really used
/// a new connection per request, or really kept one alive. Requests carry no Content-Type, as netctl's.
/// </summary>
public sealed class BenchHttpClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly bool _newConnectionPerRequest;
    private long _connectionsOpened;

    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    public BenchHttpClient(Uri baseAddress, bool newConnectionPerRequest, int maxConnections)
    {
        _newConnectionPerRequest = newConnectionPerRequest;
        var handler = new SocketsHttpHandler
        {
            // Zero lifetime: a connection is never returned to the pool (plus "Connection: close" below).
            PooledConnectionLifetime = newConnectionPerRequest ? TimeSpan.Zero : Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = Math.Max(1, maxConnections),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _http.DefaultRequestHeaders.ExpectContinue = false;
    }

    /// <summary>Sends one operation; returns its latency in Stopwatch ticks (send until the whole reply is read).</summary>
    public async Task<long> SendAsync(Operation op, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, op.Path)
        {
            // ByteArrayContent sets no Content-Type header: exactly what netctl sends.
            Content = new ByteArrayContent(op.Body),
        };
        var (ticks, _) = await SendAsync(request, (problem, inner) => new RequestFailedException(op, problem, inner), cancel);
        return ticks;
    }

    /// <summary>Sends one GET; returns its latency in Stopwatch ticks and the reply body (for the caller's checks).</summary>
    public async Task<(long Ticks, string Body)> GetAsync(ReadOperation read, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, read.Path);
        return await SendAsync(request, (problem, inner) => new RequestFailedException(read, problem, inner), cancel);
    }

    private async Task<(long Ticks, string Body)> SendAsync(
        HttpRequestMessage request, Func<string, Exception?, RequestFailedException> failure, CancellationToken cancel)
    {
        if (_newConnectionPerRequest) request.Headers.ConnectionClose = true;

        string body;
        HttpStatusCode status;
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancel);
        }
        catch (HttpRequestException e)
        {
            throw failure($"no reply: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}", e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw failure($"no reply within {RequestTimeout.TotalSeconds:0} s", e);
        }
        var elapsed = Stopwatch.GetTimestamp() - start;

        if (status != HttpStatusCode.OK)
            throw failure($"HTTP {(int)status} {status}\n  reply body: {body}", null);
        return (elapsed, body);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            Interlocked.Increment(ref _connectionsOpened);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
