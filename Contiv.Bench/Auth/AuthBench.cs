using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Contiv.Bench.Auth;

/// <summary>
/// `auth`: one master with both listeners; the same network creates through the plain loopback listener and through
/// TLS with a token (each with a kept-alive connection and with a new connection per request, as netctl does), and logins.
/// </summary>
public static class AuthBench
{
    public const string Usage = """
        usage: dotnet Contiv.Bench.dll auth [--creates N] [--logins N]
        auth: on one master, N network creates per listener and connection mode (default 200), then N logins (default 50):
              medians of create over loopback HTTP vs TLS + X-Auth-Token, and login p50/p90.
        """;

    private const string Password = "bench-admin-password";

    public static async Task<int> RunAsync(string[] args)
    {
        var creates = 200;
        var logins = 50;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--creates" when i + 1 < args.Length && int.TryParse(args[i + 1], out var c) && c > 0: creates = c; i++; break;
                case "--logins" when i + 1 < args.Length && int.TryParse(args[i + 1], out var l) && l > 0: logins = l; i++; break;
                default:
                    Console.Error.WriteLine($"error: bad option {args[i]}\n\n{Usage}");
                    return 2;
            }
        }

        var securePort = Contiv.Lab.LocalPorts.FreeTcpPort();
        await using var master = await MasterLauncher.StartAsync(CancellationToken.None,
            "--secure-listen", $"127.0.0.1:{securePort}", "--admin-password", Password);
        var fingerprint = master.RecentOutput.Split('\n').First(l => l.Contains("SHA-256 fingerprint", StringComparison.Ordinal)).Trim().Split(' ')[^1];
        var secure = new Uri($"https://127.0.0.1:{securePort}");
        Console.WriteLine($"== auth: {creates} creates per mode, {logins} logins; master pid {master.Pid}, {Environment.ProcessorCount} cores");

        string token;
        using (var client = Client(secure, fingerprint, keepAlive: true))
            token = (await LoginAsync(client)).Token;

        var next = 0;
        foreach (var (label, address, keepAlive, withToken) in new[]
        {
            ("loopback http, kept-alive", master.BaseAddress, true, false),
            ("TLS + token, kept-alive", secure, true, true),
            ("loopback http, new connection each", master.BaseAddress, false, false),
            ("TLS + token, new connection each", secure, false, true),
        })
        {
            using var client = Client(address, fingerprint, keepAlive);
            var samples = new List<long>();
            for (var i = 0; i < creates; i++)
            {
                var n = next++;
                var body = $"{{\"tenantName\":\"default\",\"networkName\":\"n{n}\",\"encap\":\"vxlan\",\"subnet\":\"10.{100 + n / 250}.{n % 250}.0/24\"}}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/networks/default:n{n}/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
                if (withToken) request.Headers.Add("X-Auth-Token", token);
                if (!keepAlive) request.Headers.ConnectionClose = true;
                var start = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsStringAsync();
                samples.Add(Stopwatch.GetTimestamp() - start);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{label}: create n{n} answered {(int)response.StatusCode}");
            }
            Print($"create network, {label}", LatencyStats.FromTicks(samples));
        }

        var loginSamples = new List<long>();
        using (var client = Client(secure, fingerprint, keepAlive: true))
            for (var i = 0; i < logins; i++) loginSamples.Add((await LoginAsync(client)).Ticks);
        Print("login (TLS, kept-alive)", LatencyStats.FromTicks(loginSamples));
        return 0;
    }

    private static void Print(string what, LatencyStats stats) =>
        Console.WriteLine($"{what,-48} n={stats.Count,4}  p50 {stats.MedianMs,7:0.00} ms  p90 {stats.P90Ms,7:0.00} ms  p99 {stats.P99Ms,7:0.00} ms");

    private static async Task<(string Token, long Ticks)> LoginAsync(HttpClient client)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/api/v1/auth_proxy/login/",
            new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { username = "admin", password = Password }))));
        var body = await response.Content.ReadAsStringAsync();
        var ticks = Stopwatch.GetTimestamp() - start;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"login answered {(int)response.StatusCode}: {body}");
        return (JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!, ticks);
    }

    private static HttpClient Client(Uri address, string fingerprint, bool keepAlive) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = keepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null &&
                Contiv.Master.Access.ApiCertificate.Fingerprint(new X509Certificate2(certificate)) == fingerprint,
        },
    })
    { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
}
