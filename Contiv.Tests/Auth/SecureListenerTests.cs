using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Auth;

/// <summary>The TLS listener, login and tokens against real masters: what an operator and an attacker each meet.</summary>
[Trait("Category", "Auth")]
public sealed class SecureListenerTests
{
    [Fact]
    public async Task Plain_http_to_the_secure_listener_gets_no_answer()
    {
        await using var secure = await SecureMaster.StartAsync();
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{secure.SecurePort}"), Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("/api/v1/tenants/"));
    }

    [Fact]
    public async Task The_self_signed_certificate_is_made_once_printed_by_fingerprint_kept_across_restarts_and_a_pinned_client_trusts_only_it()
    {
        var dataDir = MasterProcess.NewDataDir();
        var port = Contiv.Lab.LocalPorts.FreeTcpPort();
        var securePort = Contiv.Lab.LocalPorts.FreeTcpPort();
        try
        {
            string first;
            await using (var secure = await SecureMaster.StartAsync(dataDir: dataDir, securePort: securePort, port: port))
            {
                first = secure.Fingerprint;
                Assert.Contains("made a self-signed TLS certificate", secure.Master.Output);
                var onDisk = X509Certificate2.CreateFromPemFile(Path.Combine(dataDir, "tls", "api.crt"), Path.Combine(dataDir, "tls", "api.key"));
                Assert.Equal(first, Contiv.Master.Access.ApiCertificate.Fingerprint(onDisk));
                Assert.True(OperatingSystem.IsLinux(), "the lab runs on Linux");
                if (OperatingSystem.IsLinux())
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "tls", "api.key")));

                using var pinned = secure.SecureHttp();
                Assert.Equal(HttpStatusCode.Unauthorized, (await pinned.GetAsync("/api/v1/tenants/")).StatusCode);
                using var pinnedElsewhere = secure.SecureHttp(pinned: string.Join(':', Enumerable.Repeat("00", 32)));
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => pinnedElsewhere.GetAsync("/api/v1/tenants/"));
                await secure.Master.StopAsync();
            }
            await using var again = await SecureMaster.StartAsync(dataDir: dataDir, securePort: securePort, port: port);
            Assert.Equal(first, again.Fingerprint);
            Assert.DoesNotContain("made a self-signed TLS certificate", again.Master.Output);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_survives_a_master_restart_and_logout_revokes_it()
    {
        var dataDir = MasterProcess.NewDataDir();
        var port = Contiv.Lab.LocalPorts.FreeTcpPort();
        var securePort = Contiv.Lab.LocalPorts.FreeTcpPort();
        try
        {
            string token;
            await using (var secure = await SecureMaster.StartAsync(dataDir: dataDir, securePort: securePort, port: port))
            {
                using var http = secure.SecureHttp();
                token = await secure.TokenAsync(http, "admin", SecureMaster.AdminPassword);
                Assert.Equal(HttpStatusCode.OK, (await secure.SendAsync(http, HttpMethod.Get, "/api/v1/tenants/", token)).Status);
                await secure.Master.StopAsync();
            }
            await using var again = await SecureMaster.StartAsync(dataDir: dataDir, securePort: securePort, port: port);
            Assert.DoesNotContain("created user admin", again.Master.Output);
            using var client = again.SecureHttp();
            Assert.Equal(HttpStatusCode.OK, (await again.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/", token)).Status);
            Assert.Equal(HttpStatusCode.NoContent, (await again.SendAsync(client, HttpMethod.Post, "/api/v1/auth_proxy/logout/", token)).Status);
            var after = await again.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/", token);
            Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
            Assert.Contains("revoked", after.Body);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Repeated_bad_logins_are_refused_for_a_while_even_with_the_right_password_and_are_logged()
    {
        await using var secure = await SecureMaster.StartAsync(
            "contiv.master.auth { failed-logins-allowed = 3, failed-login-delay = 20s, failed-login-delay-max = 60s }");
        using var http = secure.SecureHttp();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await secure.LoginAsync(http, "admin", "wrong-" + i)).Reply.Status);
        var (locked, token) = await secure.LoginAsync(http, "admin", SecureMaster.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Null(token);
        Assert.Contains("too many failed logins", locked.Body);
        Assert.Contains("login failed for user admin from 127.0.0.1 (3 in a row)", await secure.OutputOnceItShowsAsync("(3 in a row)"));
        // The client that failed is held back too, whichever username it tries next.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await secure.LoginAsync(http, "someone-else", "x")).Reply.Status);
    }

    [Fact]
    public async Task A_client_that_half_closes_its_tls_connection_after_a_write_still_gets_the_answer()
    {
        await using var secure = await SecureMaster.StartAsync();
        using var http = secure.SecureHttp();
        var token = await secure.TokenAsync(http, "admin", SecureMaster.AdminPassword);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, secure.SecurePort);
        await using var tls = new System.Net.Security.SslStream(new NetworkStream(socket), leaveInnerStreamOpen: true,
            (_, certificate, _, _) => certificate is not null &&
                Contiv.Master.Access.ApiCertificate.Fingerprint(new X509Certificate2(certificate)) == secure.Fingerprint);
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        const string body = "{\"tenantName\":\"tlshalf\"}";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/v1/tenants/tlshalf/ HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {token}\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        await tls.ShutdownAsync();
        socket.Shutdown(SocketShutdown.Send);

        using var reader = new StreamReader(tls, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.Contains("\"tenantName\":\"tlshalf\"", answer);
        Assert.Equal(HttpStatusCode.OK, (await secure.Loopback.Get("tenants", "tlshalf")).Status);
    }

    [Fact]
    public async Task A_megabyte_password_is_refused_before_any_work()
    {
        await using var secure = await SecureMaster.StartAsync();
        using var http = secure.SecureHttp();
        var huge = new string('p', 1024 * 1024);
        var reply = await secure.SendAsync(http, HttpMethod.Post, "/api/v1/auth_proxy/login/", null, new { username = "admin", password = huge });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Contains("body larger than", reply.Body);
        var longButSmall = await secure.SendAsync(http, HttpMethod.Post, "/api/v1/auth_proxy/login/", null,
            new { username = "admin", password = new string('p', 2000) });
        Assert.Equal(HttpStatusCode.BadRequest, longButSmall.Status);
        Assert.Contains("longer than 1024", longButSmall.Body);
        Assert.Equal(HttpStatusCode.OK, (await secure.LoginAsync(http, "admin", SecureMaster.AdminPassword)).Reply.Status);
    }

    [Fact]
    public async Task Every_write_leaves_an_audit_line_with_the_user_the_request_and_the_result()
    {
        await using var secure = await SecureMaster.StartAsync();
        await secure.CreateUserAsync("auditee", "auditee-password", "ops", "t9");
        using var http = secure.SecureHttp();
        var token = await secure.TokenAsync(http, "auditee", "auditee-password");
        Assert.Equal(HttpStatusCode.Forbidden, (await secure.SendAsync(http, HttpMethod.Post, "/api/v1/tenants/t8/", token, new { tenantName = "t8" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await secure.SendAsync(http, HttpMethod.Post, "/api/v1/tenants/t9/", token, new { tenantName = "t9" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secure.SendAsync(http, HttpMethod.Delete, "/api/v1/tenants/t9/", "forged")).Status);

        var output = await secure.OutputOnceItShowsAsync("DELETE /api/v1/tenants/t9/ -> 401");
        Assert.Contains("audit: user=auditee role=ops client=127.0.0.1 POST /api/v1/tenants/t8/ -> 403", output);
        Assert.Contains("audit: user=auditee role=ops client=127.0.0.1 POST /api/v1/tenants/t9/ -> 200", output);
        Assert.Contains("audit: user=unknown-token role=none client=127.0.0.1 DELETE /api/v1/tenants/t9/ -> 401", output);
        Assert.Contains("audit: user=loopback role=admin client=127.0.0.1 POST /api/v1/auth_proxy/local_users/ -> 201", output);
    }

    [Fact]
    public async Task A_disabled_user_loses_its_token_at_once_and_the_last_admin_can_not_be_removed()
    {
        await using var secure = await SecureMaster.StartAsync();
        await secure.CreateUserAsync("leaver", "leaver-password", "ops", "t1");
        using var http = secure.SecureHttp();
        var token = await secure.TokenAsync(http, "leaver", "leaver-password");
        Assert.Equal(HttpStatusCode.OK, (await secure.SendAsync(http, HttpMethod.Get, "/api/v1/networks/", token)).Status);

        var disabled = await secure.Loopback.Send(new HttpMethod("PATCH"), "/api/v1/auth_proxy/local_users/leaver/", "{\"disable\": true}");
        Assert.Equal(HttpStatusCode.OK, disabled.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secure.SendAsync(http, HttpMethod.Get, "/api/v1/networks/", token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secure.LoginAsync(http, "leaver", "leaver-password")).Reply.Status);

        var lastAdmin = await secure.Loopback.Send(HttpMethod.Delete, "/api/v1/auth_proxy/local_users/admin/", null);
        Assert.Equal(HttpStatusCode.Conflict, lastAdmin.Status);
        Assert.Contains("last enabled admin", lastAdmin.Body);
        var demoted = await secure.Loopback.Send(new HttpMethod("PATCH"), "/api/v1/auth_proxy/local_users/admin/", "{\"role\": \"ops\"}");
        Assert.Equal(HttpStatusCode.Conflict, demoted.Status);
        Assert.Equal(HttpStatusCode.OK, (await secure.LoginAsync(http, "admin", SecureMaster.AdminPassword)).Reply.Status);
    }

    [Fact]
    public async Task Users_and_authorizations_refuse_bad_input_by_name()
    {
        await using var secure = await SecureMaster.StartAsync();
        async Task Refused(string path, string body, HttpStatusCode status, string words)
        {
            var reply = await secure.Loopback.Send(HttpMethod.Post, path, body);
            Assert.True(reply.Status == status, $"{body}: expected {(int)status}, got {reply}");
            Assert.Contains(words, reply.Body);
        }
        const string users = "/api/v1/auth_proxy/local_users/";
        await Refused(users, "{\"username\":\"u1\",\"role\":\"ops\"}", HttpStatusCode.BadRequest, "password is required");
        await Refused(users, "{\"username\":\"u1\",\"password\":\"p\",\"role\":\"root\"}", HttpStatusCode.BadRequest, "role root is not admin or ops");
        await Refused(users, "{\"username\":\"u 1\",\"password\":\"p\",\"role\":\"ops\"}", HttpStatusCode.BadRequest, "may hold only");
        await Refused(users, "{\"username\":\"u1\",\"password\":\"p\",\"role\":\"ops\",\"rol\":\"admin\"}", HttpStatusCode.BadRequest, "rol");
        await Refused(users, "{\"username\":\"admin\",\"password\":\"p\",\"role\":\"ops\"}", HttpStatusCode.Conflict, "already exists");
        const string authorizations = "/api/v1/auth_proxy/authorizations/";
        await Refused(authorizations, "{\"PrincipalName\":\"nobody\",\"Local\":true,\"Role\":\"ops\",\"TenantName\":\"t1\"}", HttpStatusCode.NotFound, "not a local user");
        await Refused(authorizations, "{\"PrincipalName\":\"admin\",\"Local\":true,\"Role\":\"ops\",\"TenantName\":\"t1\"}", HttpStatusCode.BadRequest, "is an admin");
        await Refused(authorizations, "{\"PrincipalName\":\"admin\",\"Local\":true,\"Role\":\"ops\"}", HttpStatusCode.BadRequest, "tenantName is required");
        Assert.DoesNotContain("u1", (await secure.Loopback.GetPath(users)).Body);
    }

    [Fact]
    public async Task A_plain_listener_beyond_loopback_is_refused_at_start_with_the_fix()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            MasterProcess.StartAsync(extraArgs: ["--listen", $"0.0.0.0:{Contiv.Lab.LocalPorts.FreeTcpPort()}"]));
        Assert.Contains("is not a loopback address", error.Message);
        Assert.Contains("--secure-listen", error.Message);
    }
}
