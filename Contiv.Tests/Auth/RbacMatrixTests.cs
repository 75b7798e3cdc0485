using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Contiv.Messages.Model;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Auth;

/// <summary>Tenants t1 and t2 with a network each; ops1 may use t1, ops2 t2; tokens live 4 s, so one taken at start is expired.</summary>
public sealed class RbacMasterFixture : IAsyncLifetime
{
    public const string OpsPassword = "ops-password-for-tests";

    public SecureMaster Secure { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string ExpiredToken { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Secure = await SecureMaster.StartAsync("contiv.master.auth.token-lifetime = 4s");
        Http = Secure.SecureHttp();
        var loopback = Secure.Loopback;
        foreach (var (tenant, subnet) in new[] { ("t1", "10.31.0.0/16"), ("t2", "10.32.0.0/16") })
        {
            Must(await loopback.Post("tenants", tenant, new { tenantName = tenant }));
            Must(await loopback.Post("networks", $"{tenant}:net1", new { tenantName = tenant, networkName = "net1", encap = "vxlan", subnet }));
        }
        await Secure.CreateUserAsync("ops1", OpsPassword, "ops", "t1");
        await Secure.CreateUserAsync("ops2", OpsPassword, "ops", "t2");
        ExpiredToken = await Secure.TokenAsync(Http, "ops1", OpsPassword);
        await Task.Delay(TimeSpan.FromSeconds(4.5));
    }

    private void Must(RestReply reply)
    {
        if (!reply.Ok) throw new InvalidOperationException($"fixture setup refused: {reply}\n{Secure.Master.Output}");
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Secure is not null) await Secure.DisposeAsync();
    }
}

/// <summary>
/// Every cell of {admin, ops for t1, ops for t2, no token, bad token, expired token} x {reads, writes and deletes of each kind in t1,
/// global, users, authorizations, lists} over TLS: the status the rules of issue #15 give, and after a refusal nothing changed.
/// </summary>
[Trait("Category", "Auth")]
public sealed class RbacMatrixTests(RbacMasterFixture fixture) : IClassFixture<RbacMasterFixture>
{
    public static readonly string[] Callers = ["admin", "ops-t1", "ops-t2", "no-token", "bad-token", "expired-token"];

    private static readonly string[] Operations =
    [
        .. TenantKinds().SelectMany(kind => new[] { $"get {kind.Plural()}", $"delete {kind.Plural()}", $"post-invalid {kind.Plural()}" }),
        "get tenant", "create network", "delete network", "list networks", "list tenants",
        "get global", "post global", "list Bgps", "create user", "list users", "list authorizations", "create authorization", "inspect nodes",
    ];

    public static TheoryData<string, string> Cells()
    {
        var data = new TheoryData<string, string>();
        foreach (var caller in Callers)
            foreach (var operation in Operations) data.Add(caller, operation);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task A_caller_gets_what_its_role_allows_and_a_refusal_changes_nothing(string caller, string operation)
    {
        var token = await TokenOf(caller);
        var name = $"x{Guid.NewGuid():N}"[..12];
        var (method, path, body) = Request(operation, name);
        if (operation == "delete network") await MustSucceed(fixture.Secure.Loopback.Post("networks", $"t1:{name}", Network(name)));
        // The global object as it is, posted back: a write that changes nothing, so every cell can make it.
        if (operation == "post global") body = (await fixture.Secure.Loopback.Get("globals", "global")).Body;

        var reply = await fixture.Secure.SendAsync(fixture.Http, method, path, token, body);

        var expected = Expected(caller, operation);
        Assert.True((int)reply.Status == expected, $"{caller} {operation}: expected {expected}, got {reply}");
        if (expected is 401 or 403)
        {
            Assert.False(string.IsNullOrWhiteSpace(reply.Body), "a refusal says why");
            if (expected == 403) Assert.Contains(caller.StartsWith("ops", StringComparison.Ordinal) ? "role ops" : "role", reply.Body);
            await AssertUnchanged(operation, name);
        }
        if (operation == "list networks" && expected == 200) AssertListShows(caller, reply);
    }

    private async Task<string?> TokenOf(string caller) => caller switch
    {
        "admin" => await fixture.Secure.TokenAsync(fixture.Http, "admin", SecureMaster.AdminPassword),
        "ops-t1" => await fixture.Secure.TokenAsync(fixture.Http, "ops1", RbacMasterFixture.OpsPassword),
        "ops-t2" => await fixture.Secure.TokenAsync(fixture.Http, "ops2", RbacMasterFixture.OpsPassword),
        "bad-token" => "not-a-token-anyone-was-given",
        "expired-token" => fixture.ExpiredToken,
        _ => null,
    };

    /// <summary>The rules, written out from the issue rather than from the code.</summary>
    private static int Expected(string caller, string operation)
    {
        if (caller is "no-token" or "bad-token" or "expired-token") return 401;
        var admin = caller == "admin";
        var t1 = admin || caller == "ops-t1";
        var verb = operation.Split(' ')[0];
        return operation switch
        {
            "get global" or "list Bgps" or "inspect nodes" or "list networks" or "list tenants" => 200,
            "post global" => admin ? 200 : 403,
            "create user" => admin ? 201 : 403,
            "list users" or "list authorizations" => admin ? 200 : 403,
            "create authorization" => admin ? 201 : 403,
            "get tenant" => t1 ? 200 : 403,
            "create network" or "delete network" => t1 ? 200 : 403,
            _ when verb is "get" or "delete" => t1 ? 404 : 403,
            _ when verb is "post-invalid" => t1 ? 400 : 403,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    private static (HttpMethod Method, string Path, object? Body) Request(string operation, string name)
    {
        var (verb, what) = (operation.Split(' ')[0], operation.Split(' ')[^1]);
        if (verb is "get" or "delete" or "post-invalid" && ObjectKinds.TryParsePlural(what, out var kind) && kind != ObjectKind.Tenant)
        {
            var key = "t1:" + string.Join(':', Enumerable.Repeat(name, kind.KeyFields().Count - 1));
            var path = $"/api/v1/{kind.Plural()}/{key}/";
            return verb switch
            {
                "get" => (HttpMethod.Get, path, null),
                "delete" => (HttpMethod.Delete, path, null),
                _ => (HttpMethod.Post, path, "{\"this is\": not json"),
            };
        }
        return operation switch
        {
            "get tenant" => (HttpMethod.Get, "/api/v1/tenants/t1/", null),
            "create network" => (HttpMethod.Post, $"/api/v1/networks/t1:{name}/", Network(name)),
            "delete network" => (HttpMethod.Delete, $"/api/v1/networks/t1:{name}/", null),
            "list networks" => (HttpMethod.Get, "/api/v1/networks/", null),
            "list tenants" => (HttpMethod.Get, "/api/v1/tenants/", null),
            "get global" => (HttpMethod.Get, "/api/v1/globals/global/", null),
            "post global" => (HttpMethod.Post, "/api/v1/globals/global/", null),
            "list Bgps" => (HttpMethod.Get, "/api/v1/Bgps/", null),
            "create user" => (HttpMethod.Post, "/api/v1/auth_proxy/local_users/", new { username = name, password = "pw-" + name, role = "ops" }),
            "list users" => (HttpMethod.Get, "/api/v1/auth_proxy/local_users/", null),
            "list authorizations" => (HttpMethod.Get, "/api/v1/auth_proxy/authorizations/", null),
            "create authorization" => (HttpMethod.Post, "/api/v1/auth_proxy/authorizations/",
                new { PrincipalName = "ops2", Local = true, Role = "ops", TenantName = name }),
            "inspect nodes" => (HttpMethod.Get, "/api/v1/inspect/nodes/", null),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    private async Task AssertUnchanged(string operation, string name)
    {
        var loopback = fixture.Secure.Loopback;
        switch (operation)
        {
            case "create network":
                Assert.Equal(HttpStatusCode.NotFound, (await loopback.Get("networks", $"t1:{name}")).Status);
                break;
            case "delete network":
                Assert.Equal(HttpStatusCode.OK, (await loopback.Get("networks", $"t1:{name}")).Status);
                break;
            case "create user":
                Assert.DoesNotContain(name, (await loopback.GetPath("/api/v1/auth_proxy/local_users/")).Body);
                break;
            case "create authorization":
                Assert.DoesNotContain(name, (await loopback.GetPath("/api/v1/auth_proxy/authorizations/")).Body);
                break;
            case "post global":
                Assert.Equal(HttpStatusCode.OK, (await loopback.Get("globals", "global")).Status);
                break;
        }
    }

    private static void AssertListShows(string caller, RestReply reply)
    {
        var tenants = reply.Json.AsArray().Select(n => n!["tenantName"]!.GetValue<string>()).Distinct().Order().ToList();
        var expected = caller switch
        {
            "admin" => tenants.Count >= 2 && tenants.Contains("t1") && tenants.Contains("t2"),
            "ops-t1" => tenants.SequenceEqual(["t1"]),
            _ => tenants.SequenceEqual(["t2"]),
        };
        Assert.True(expected, $"{caller} sees networks of [{string.Join(", ", tenants)}]");
    }

    private static int _networks;

    /// <summary>Each network its own /24, so that no two cells' networks overlap.</summary>
    private static object Network(string name) =>
        new { tenantName = "t1", networkName = name, encap = "vxlan", subnet = $"10.40.{Interlocked.Increment(ref _networks)}.0/24" };

    private async Task MustSucceed(Task<RestReply> call)
    {
        var reply = await call;
        if (!reply.Ok) throw new InvalidOperationException($"setup refused: {reply}");
    }

    private static IEnumerable<ObjectKind> TenantKinds() =>
        ObjectKinds.All.Where(k => k.IsTenantScoped() && k != ObjectKind.Tenant);
}
