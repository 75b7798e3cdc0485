using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Contiv.Lab;
using Xunit;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Tokens are the cluster's, not a master's: on three real masters on PostgreSQL, each reached over its TLS
/// listener, a user logged in on one master is known with the same rights on the others, and a logout on a third
/// revokes the token on all of them, also where it was just used (and so cached).
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Auth")]
[Collection(MastersCollection.Name)]
public sealed class TokensAcrossMastersTests
{
    [Fact]
    public async Task A_login_on_one_master_is_honoured_with_its_rights_on_the_others_and_a_logout_on_any_revokes_it_on_all()
    {
        await using var cluster = await MasterCluster.StartAsync(3);
        var (m0, m1, m2) = (cluster.Masters[0], cluster.Masters[1], cluster.Masters[2]);
        using var admin = cluster.NewClient(TimeSpan.FromSeconds(30));
        foreach (var tenant in new[] { "ta", "tb" })
            await Expect(HttpStatusCode.OK, admin, HttpMethod.Post, m0, $"/api/v1/tenants/{tenant}/", new JsonObject { ["tenantName"] = tenant });
        await Expect(HttpStatusCode.Created, admin, HttpMethod.Post, m1, "/api/v1/auth_proxy/local_users/",
            new JsonObject { ["username"] = "opsa", ["password"] = "opsa-password", ["role"] = "ops" });
        await Expect(HttpStatusCode.Created, admin, HttpMethod.Post, m2, "/api/v1/auth_proxy/authorizations/",
            new JsonObject { ["PrincipalName"] = "opsa", ["Local"] = true, ["Role"] = "ops", ["TenantName"] = "ta" });

        // A client of its own: it must not send the admin's token the lab's clients carry.
        using var ops = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => ClusterCertificates.IsApiCertificate(certificate) },
        }) { Timeout = TimeSpan.FromSeconds(30) };
        using var login = await ops.PostAsJsonAsync(new Uri(m1.SecureUrl, "/api/v1/auth_proxy/login/"), new { username = "opsa", password = "opsa-password" });
        Assert.True(login.IsSuccessStatusCode, $"login on master 1: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        ops.DefaultRequestHeaders.Add("X-Auth-Token", token);

        foreach (var master in cluster.Masters)
        {
            await Expect(HttpStatusCode.OK, ops, HttpMethod.Post, master, $"/api/v1/policys/ta:p{master.Index}/",
                new JsonObject { ["tenantName"] = "ta", ["policyName"] = $"p{master.Index}" });
            var refused = await Expect(HttpStatusCode.Forbidden, ops, HttpMethod.Post, master, $"/api/v1/policys/tb:p{master.Index}/",
                new JsonObject { ["tenantName"] = "tb", ["policyName"] = $"p{master.Index}" });
            Assert.Contains("tb", refused);
            var listed = JsonNode.Parse(await Expect(HttpStatusCode.OK, ops, HttpMethod.Get, master, "/api/v1/tenants/", null))!.AsArray();
            Assert.Equal(["ta"], listed.Select(t => t!["tenantName"]!.GetValue<string>()));
        }

        await Expect(HttpStatusCode.NoContent, ops, HttpMethod.Post, m2, "/api/v1/auth_proxy/logout/", null);
        // Masters 0 and 1 have the token cached (for contiv.master.auth.cache-ttl, 5 s): the logout's broadcast must
        // reach them well before that would run out.
        foreach (var master in new[] { m0, m1, m2 })
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            HttpStatusCode status;
            do
            {
                using var reply = await ops.GetAsync(new Uri(master.SecureUrl, "/api/v1/tenants/ta/"));
                status = reply.StatusCode;
            } while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);
            Assert.True(status == HttpStatusCode.Unauthorized, $"master {master.Index} still honours the token after the logout: {(int)status}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri(m0.SecureUrl, "/api/v1/policys/tb:p0/"))).StatusCode);
    }

    private static async Task<string> Expect(HttpStatusCode expected, HttpClient http, HttpMethod method, ClusterMaster master, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(master.SecureUrl, path));
        if (body is not null) request.Content = JsonContent.Create(body);
        using var reply = await http.SendAsync(request);
        var text = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == expected, $"{method} {path} on master {master.Index}: {(int)reply.StatusCode} {text} (expected {(int)expected})");
        return text;
    }
}
