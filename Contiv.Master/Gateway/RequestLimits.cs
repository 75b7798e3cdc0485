using System.Globalization;
using System.Threading.RateLimiting;
using Akka.Configuration;
using Contiv.Master.Hosting;
using Contiv.Messages.Cluster;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Contiv.Master.Gateway;

/// <summary>
/// <c>contiv.master.limits</c>: how much one client may ask of the REST API, so that one busy or hostile
/// client cannot starve the others or exhaust the master's sockets and memory.
/// </summary>
public sealed record RequestLimits(
    int RequestsPerSecondPerClient, int Burst, int MaxConnections, int MinBodyBytesPerSecond, TimeSpan BodyGracePeriod,
    TimeSpan RequestHeadersTimeout, TimeSpan HalfCloseGrace)
{
    public static RequestLimits From(Config hocon) => new(
        hocon.GetRequiredInt("contiv.master.limits.requests-per-second-per-client"),
        hocon.GetRequiredInt("contiv.master.limits.burst"),
        hocon.GetRequiredInt("contiv.master.limits.max-connections"),
        hocon.GetRequiredInt("contiv.master.limits.min-body-bytes-per-second"),
        hocon.GetRequiredTimeSpan("contiv.master.limits.body-grace-period"),
        hocon.GetRequiredTimeSpan("contiv.master.limits.request-headers-timeout"),
        hocon.GetRequiredTimeSpan("contiv.master.limits.half-close-grace"));

    /// <summary>A token bucket per remote address: <see cref="Burst"/> at once, refilled at the per-second rate.</summary>
    public PartitionedRateLimiter<HttpContext> PerClient() =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Burst,
                TokensPerPeriod = RequestsPerSecondPerClient,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public string RefusalMessage(string client) =>
        $"too many requests from {client}: at most {RequestsPerSecondPerClient.ToString(CultureInfo.InvariantCulture)} per second " +
        $"(bursts of {Burst.ToString(CultureInfo.InvariantCulture)}) per client; slow down and retry (contiv.master.limits)";
}

/// <summary>The REST API's limits wired into the web host: Kestrel's connection and body limits and the per-client rate limiter.</summary>
public static class RequestLimitsSetup
{
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder, MasterConfig config)
    {
        var limits = RequestLimits.From(config.Hocon);
        builder.Services.AddSingleton(limits);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, limits.BodyGracePeriod);
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = limits.PerClient();
            options.OnRejected = async (rejected, cancel) =>
            {
                var http = rejected.HttpContext;
                var message = limits.RefusalMessage(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.ContentType = "text/plain; charset=utf-8";
                http.Response.Headers.RetryAfter = "1";
                // netctl prints only the status line for errors other than 500: the message goes there too.
                http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = "Too Many Requests: " + message;
                await http.Response.WriteAsync(message + "\n", cancel);
            };
        });
        return builder;
    }

    /// <summary>Before every route, so that a refused request costs the master nothing more.</summary>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}
