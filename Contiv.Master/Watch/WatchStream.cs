using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Contiv.Master.Access;
using Contiv.Messages.Access;
using Contiv.Messages.Model;
using Microsoft.AspNetCore.Http;

namespace Contiv.Master.Watch;

/// <summary>
/// <c>GET /api/v1/watch/</c>: this master's changes as server-sent events, filtered to what the caller may read. A
/// <c>Last-Event-ID</c> header (or <c>?since=</c>) resumes after that event. The stream ends when the caller's token
/// expires or is revoked (an <c>expired</c> event), when the caller goes, or when it falls too far behind (it then
/// resumes). The caller's rights are read again every few seconds, so a tenant taken away stops being shown.
/// </summary>
public sealed class WatchStream(Func<IActorRef> hub, WatchSettings settings, Authenticator authenticator)
{
    public const string Path = "/api/v1/watch/";
    private static readonly TimeSpan RightsRecheck = TimeSpan.FromSeconds(5);

    public async Task Handle(HttpContext http)
    {
        var caller = AccessMiddleware.Caller(http);
        var token = http.Request.Headers[AccessMiddleware.TokenHeader].ToString();
        var visible = AccessPolicy.VisibleTenants(caller);
        var checkedAt = DateTimeOffset.UtcNow;
        var channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(settings.StreamBuffer) { SingleReader = true, SingleWriter = true });
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : http.Request.Query["since"].ToString();
        var watchers = hub();
        watchers.Tell(new WatchSubscribe(channel.Writer, lastEventId));

        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var untilExpiry = caller.ExpiresAt - DateTimeOffset.UtcNow;
        if (untilExpiry < TimeSpan.FromDays(1)) ends.CancelAfter(untilExpiry < TimeSpan.Zero ? TimeSpan.Zero : untilExpiry);
        try
        {
            await http.Response.Body.FlushAsync(ends.Token);
            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ends.Token);
                beat.CancelAfter(settings.Heartbeat);
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!ends.IsCancellationRequested)
                {
                    if (token.Length > 0 && await authenticator.AuthenticateAsync(token) is not Principal)
                    {
                        await Expired(http, "your token was revoked: log in again");
                        break;
                    }
                    await http.Response.Body.WriteAsync(": keep-alive\n\n"u8.ToArray(), ends.Token);
                    await http.Response.Body.FlushAsync(ends.Token);
                    continue;
                }
                if (!more) break;
                if (token.Length > 0 && DateTimeOffset.UtcNow - checkedAt > RightsRecheck)
                {
                    if (await authenticator.AuthenticateAsync(token) is not Principal now)
                    {
                        await Expired(http, "your token was revoked: log in again");
                        break;
                    }
                    visible = AccessPolicy.VisibleTenants(now);
                    checkedAt = DateTimeOffset.UtcNow;
                }
                while (channel.Reader.TryRead(out var e))
                    if (Visible(e, visible)) await http.Response.Body.WriteAsync(Frame(e), ends.Token);
                await http.Response.Body.FlushAsync(ends.Token);
            }
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            // The token expired: say so, so the console asks for a login instead of reconnecting.
            await Expired(http, "your token expired: log in again");
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
            // Fell behind: the stream ends, and the console resumes from its last event.
        }
        finally
        {
            watchers.Tell(new WatchUnsubscribe(channel.Writer));
        }
    }

    private static async Task Expired(HttpContext http, string reason)
    {
        var data = JsonSerializer.Serialize(new { reason });
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: expired\ndata: {data}\n\n"));
        await http.Response.Body.FlushAsync();
    }

    /// <summary>Does a caller who may see <paramref name="visible"/> (null: every tenant) see this event?</summary>
    public static bool Visible(WatchEvent e, IReadOnlySet<string>? visible) =>
        visible is null || e.Tenant is null || visible.Contains(e.Tenant);

    /// <summary>One event as SSE: <c>id</c>, <c>event</c> (its type in lower case) and one <c>data</c> line of JSON.</summary>
    public static byte[] Frame(WatchEvent e)
    {
        var data = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(data))
        {
            json.WriteStartObject();
            if (e.Kind is { } kind) json.WriteString("kind", kind.Plural());
            if (e.Key is { } key) json.WriteString("key", key);
            if (e.Tenant is { } tenant) json.WriteString("tenant", tenant);
            if (e.Reason is { } reason) json.WriteString("reason", reason);
            if (e.Json is { } view)
            {
                json.WritePropertyName("object");
                json.WriteRawValue(view.Value, skipInputValidation: true);
            }
            json.WriteEndObject();
        }
        var head = Encoding.UTF8.GetBytes($"id: {e.Id}\nevent: {e.Type.ToString().ToLowerInvariant()}\ndata: ");
        var frame = new byte[head.Length + data.WrittenCount + 2];
        head.CopyTo(frame, 0);
        data.WrittenSpan.CopyTo(frame.AsSpan(head.Length));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }
}
