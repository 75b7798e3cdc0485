using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;

namespace Contiv.Tests.Auth;

/// <summary>
/// A real contiv-master with a TLS listener beside its loopback one, a known admin password, and clients for both:
/// the TLS client trusts exactly the fingerprint the master printed (pinning), as an operator's client would.
/// </summary>
public sealed class SecureMaster : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-tests";

    public MasterProcess Master { get; }
    public int SecurePort { get; }
    public string Fingerprint { get; }
    public Uri SecureAddress => new($"https://127.0.0.1:{SecurePort}");

    /// <summary>The loopback listener: trusted without a token, as the original netmaster.</summary>
    public RestClient Loopback { get; }

    private SecureMaster(MasterProcess master, int securePort, string fingerprint)
    {
        Master = master;
        SecurePort = securePort;
        Fingerprint = fingerprint;
        Loopback = new RestClient(master.Http);
    }

    public static async Task<SecureMaster> StartAsync(string? hocon = null, string? dataDir = null, int? securePort = null, int? port = null)
    {
        var secure = securePort ?? Contiv.Lab.LocalPorts.FreeTcpPort();
        List<string> args = ["--secure-listen", $"127.0.0.1:{secure}", "--admin-password", AdminPassword];
        if (hocon is not null)
        {
            var file = Path.Combine(Path.GetTempPath(), $"contiv-auth-{Guid.NewGuid():N}.hocon");
            await File.WriteAllTextAsync(file, hocon);
            args.AddRange(["--config", file]);
        }
        var master = await MasterProcess.StartAsync(dataDir: dataDir, extraArgs: args, port: port);
        var line = master.Output.Split('\n').FirstOrDefault(l => l.Contains("SHA-256 fingerprint", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the master printed no fingerprint:\n{master.Output}");
        return new SecureMaster(master, secure, line.Trim().Split(' ')[^1]);
    }

    /// <summary>An HTTPS client that accepts only a certificate with <paramref name="pinned"/> as its SHA-256 fingerprint.</summary>
    public HttpClient SecureHttp(string? pinned = null)
    {
        var expected = pinned ?? Fingerprint;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null &&
                    Contiv.Master.Access.ApiCertificate.Fingerprint(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate)) == expected,
            },
        };
        return new HttpClient(handler) { BaseAddress = SecureAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<RestReply> SendAsync(HttpClient http, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        if (body is not null) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body as string ?? JsonSerializer.Serialize(body)));
        using var response = await http.SendAsync(request);
        return new RestReply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <returns>the login's reply; its token when it succeeded</returns>
    public async Task<(RestReply Reply, string? Token)> LoginAsync(HttpClient http, string username, string password)
    {
        var reply = await SendAsync(http, HttpMethod.Post, "/api/v1/auth_proxy/login/", null, new { username, password });
        return (reply, reply.Status == HttpStatusCode.OK ? reply.Json["token"]!.GetValue<string>() : null);
    }

    public async Task<string> TokenAsync(HttpClient http, string username, string password)
    {
        var (reply, token) = await LoginAsync(http, username, password);
        return token ?? throw new InvalidOperationException($"login of {username} failed: {reply}\n{Master.Output}");
    }

    /// <summary>Creates a user as admin through the loopback listener (which needs no token).</summary>
    public async Task CreateUserAsync(string username, string password, string role, params string[] tenants)
    {
        var created = await Loopback.Send(HttpMethod.Post, "/api/v1/auth_proxy/local_users/", JsonSerializer.Serialize(new { username, password, role }));
        if (created.Status != HttpStatusCode.Created) throw new InvalidOperationException($"creating {username}: {created}");
        foreach (var tenant in tenants)
        {
            var authorized = await Loopback.Send(HttpMethod.Post, "/api/v1/auth_proxy/authorizations/",
                JsonSerializer.Serialize(new { PrincipalName = username, Local = true, Role = "ops", TenantName = tenant }));
            if (authorized.Status != HttpStatusCode.Created) throw new InvalidOperationException($"authorizing {username} for {tenant}: {authorized}");
        }
    }

    /// <summary>The master's output once it holds <paramref name="text"/> (log lines are written after the reply is sent), or as it is after 10 s.</summary>
    public async Task<string> OutputOnceItShowsAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Master.Output.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(50);
        return Master.Output;
    }

    public async ValueTask DisposeAsync() => await Master.DisposeAsync();
}
