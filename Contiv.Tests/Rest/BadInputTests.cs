using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Rest;

/// <summary>
/// One master for all bad-input cases, with a tenant t1, a vlan network t1:base
/// (10.200.0.0/16) and a policy t1:p1 already there, so that a refusal is about the bad input
/// and not about a missing reference.
/// </summary>
public sealed class BadInputMasterFixture : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public MasterProcess Master { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public RestClient Rest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Master = await MasterProcess.StartAsync();
        // No redirects followed: a 301 to the slashed URL is not the contract, and must show.
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = Master.BaseAddress,
            Timeout = CallTimeout,
        };
        Rest = new RestClient(Http);

        await MustSucceed(Rest.Post("tenants", "t1", new { tenantName = "t1" }));
        await MustSucceed(Rest.Post("networks", "t1:base", new
        {
            tenantName = "t1", networkName = "base", encap = "vlan", subnet = "10.200.0.0/16", gateway = "10.200.0.1",
        }));
        await MustSucceed(Rest.Post("policys", "t1:p1", new { tenantName = "t1", policyName = "p1" }));
    }

    private async Task MustSucceed(Task<RestReply> call)
    {
        var reply = await call;
        if (!reply.Ok) throw new InvalidOperationException($"fixture setup refused: {reply}\n{Master.Output}");
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Master is not null) await Master.DisposeAsync();
    }
}

/// <summary>
/// Bad input is refused with a 4xx (never a 5xx) and a plain-text message naming the problem;
/// afterwards the master still serves and nothing of the refused request was stored.
/// </summary>
public sealed class BadInputTests(BadInputMasterFixture fixture) : IClassFixture<BadInputMasterFixture>
{
    private HttpClient Http => fixture.Http;
    private RestClient Rest => fixture.Rest;

    // ---- malformed JSON ---------------------------------------------------------------------

    [Theory]
    [InlineData("tenants", "mj1", """{"tenantName":"mj1" """)]
    [InlineData("tenants", "mj2", "tenantName=mj2")]
    [InlineData("tenants", "mj3", """[{"tenantName":"mj3"}]""")]
    [InlineData("tenants", "mj4", "")]
    [InlineData("tenants", "mj5", "null")]
    [InlineData("tenants", "mj6", "\"mj6\"")]
    [InlineData("networks", "t1:mj7", """{"tenantName":"t1","networkName":"mj7","encap":"vlan","subnet":"10.7.0.0/24",""")]
    [InlineData("rules", "t1:p1:mj8", """{"tenantName":"t1","policyName":"p1","ruleId":"mj8",,}""")]
    public async Task MalformedJsonIsRefused(string plural, string key, string body)
    {
        var reply = await Send(HttpMethod.Post, $"/api/v1/{plural}/{key}/", body);
        AssertRefused(reply, HttpStatusCode.BadRequest, "json", "body", "object", "empty");
        await AssertStillServesAndAbsent(plural, key);
    }

    // ---- wrong JSON types -------------------------------------------------------------------

    [Theory]
    [InlineData("networks", "t1:wt1", """{"tenantName":"t1","networkName":"wt1","encap":"vlan","pktTag":"abc","subnet":"10.31.0.0/24","gateway":"10.31.0.1"}""", "pktTag")]
    [InlineData("endpointGroups", "t1:wt3", """{"tenantName":"t1","groupName":"wt3","networkName":"base","policies":"p1"}""", "policies")]
    [InlineData("serviceLBs", "t1:wt5", """{"tenantName":"t1","serviceName":"wt5","networkName":"base","selectors":"app=web","ports":["80:8080:TCP"]}""", "selectors")]
    [InlineData("tenants", "wt6", """{"tenantName":6}""", "tenantName")]
    public async Task WrongJsonTypeIsRefusedNamingTheField(string plural, string key, string body, string field)
    {
        var reply = await Send(HttpMethod.Post, $"/api/v1/{plural}/{key}/", body);
        AssertRefused(reply, HttpStatusCode.BadRequest, field);
        await AssertStillServesAndAbsent(plural, key);
    }

    [Theory]
    [InlineData("wt2", "priority", """{"value":10}""")]
    [InlineData("wt4", "port", "1.5")]
    [InlineData("wt7", "port", "\"80\"")]
    [InlineData("wt8", "priority", "[10]")]
    [InlineData("wt9", "action", "true")]
    public async Task RuleWithWrongJsonTypeIsRefusedNamingTheField(string ruleId, string field, string jsonValue)
    {
        var reply = await Send(HttpMethod.Post, $"/api/v1/rules/t1:p1:{ruleId}/", RuleBody(ruleId, field, jsonValue));
        AssertRefused(reply, HttpStatusCode.BadRequest, field);
        await AssertStillServesAndAbsent("rules", $"t1:p1:{ruleId}");
    }

    // ---- values out of bounds or of the wrong form --------------------------------------------

    [Theory]
    [InlineData("ov1", "port", "-1")]
    [InlineData("ov2", "port", "70000")]
    [InlineData("ov3", "priority", "0")]
    [InlineData("ov4", "priority", "101")]
    [InlineData("ov5", "action", "\"accept\"")]
    [InlineData("ov6", "direction", "\"both\"")]
    [InlineData("ov7", "direction", "\"xyz\"")]
    [InlineData("ov12", "protocol", "\"sctp-ish\"")]
    public async Task RuleWithInvalidValueIsRefusedNamingTheField(string ruleId, string field, string jsonValue)
    {
        var reply = await Send(HttpMethod.Post, $"/api/v1/rules/t1:p1:{ruleId}/", RuleBody(ruleId, field, jsonValue));
        AssertRefused(reply, HttpStatusCode.BadRequest, field);
        await AssertStillServesAndAbsent("rules", $"t1:p1:{ruleId}");
    }

    [Theory]
    [InlineData("networks", "t1:ov8", """{"tenantName":"t1","networkName":"ov8","encap":"vlan","subnet":"10.1.0.0/33","gateway":"10.1.0.1"}""", "subnet")]
    [InlineData("networks", "t1:ov9", """{"tenantName":"t1","networkName":"ov9","encap":"vlan","subnet":"300.1.1.1/16","gateway":"10.1.0.1"}""", "subnet")]
    [InlineData("networks", "t1:ov10", """{"tenantName":"t1","networkName":"ov10","encap":"vlan","subnet":"10.32.0.0/24","gateway":"10.33.0.1"}""", "gateway")]
    [InlineData("networks", "t1:ov11", """{"tenantName":"t1","networkName":"ov11","encap":"gre","subnet":"10.34.0.0/24","gateway":"10.34.0.1"}""", "encap")]
    public async Task NetworkWithInvalidValueIsRefusedNamingTheField(string plural, string key, string body, string field)
    {
        var reply = await Send(HttpMethod.Post, $"/api/v1/{plural}/{key}/", body);
        AssertRefused(reply, HttpStatusCode.BadRequest, field);
        await AssertStillServesAndAbsent(plural, key);
    }

    [Fact]
    public async Task GlobalWithBadVlanRangeIsRefusedAndGlobalIsUnchanged()
    {
        var before = await Rest.Get("globals", "global");
        Assert.True(before.Status == HttpStatusCode.OK, $"GET global: {before}");
        var body = (JsonObject)before.Json.DeepClone();
        body["vlans"] = "abcd";

        var reply = await Send(HttpMethod.Post, "/api/v1/globals/global/", body.ToJsonString());
        AssertRefused(reply, HttpStatusCode.BadRequest, "vlans");

        await AssertStillServes();
        var after = await Rest.Get("globals", "global");
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(Canonical(before.Json), Canonical(after.Json));
    }

    // ---- key and body disagree, or the key has the wrong shape ------------------------------

    [Theory]
    [InlineData("networks", "t1:n1", """{"tenantName":"t1","networkName":"n2","encap":"vlan","subnet":"10.41.0.0/24","gateway":"10.41.0.1"}""", "t1:n2")]
    [InlineData("networks", "t1:n1", """{"tenantName":"t2","networkName":"n1","encap":"vlan","subnet":"10.42.0.0/24","gateway":"10.42.0.1"}""", "t2:n1")]
    [InlineData("tenants", "ka", """{"tenantName":"kb"}""", "kb")]
    public async Task KeyAndBodyMismatchIsRefused(string plural, string key, string body, string bodyKey)
    {
        var reply = await Send(HttpMethod.Post, $"/api/v1/{plural}/{key}/", body);
        AssertRefused(reply, HttpStatusCode.BadRequest, "key");
        await AssertStillServesAndAbsent(plural, key);
        await AssertAbsent(plural, bodyKey);
    }

    [Fact]
    public async Task RuleKeyAndBodyMismatchIsRefused()
    {
        var reply = await Send(HttpMethod.Post, "/api/v1/rules/t1:p1:ka/", RuleBody("kb"));
        AssertRefused(reply, HttpStatusCode.BadRequest, "key");
        await AssertStillServesAndAbsent("rules", "t1:p1:ka");
        await AssertAbsent("rules", "t1:p1:kb");
    }

    [Fact]
    public async Task RuleKeyWithTwoPartsIsRefused()
    {
        var reply = await Send(HttpMethod.Post, "/api/v1/rules/t1:p1/", RuleBody("kp1"));
        AssertRefused(reply, HttpStatusCode.BadRequest, "key");
        await AssertStillServesAndAbsent("rules", "t1:p1:kp1");
    }

    [Theory]
    [InlineData("networks", "onlyone", """{"tenantName":"t1","networkName":"onlyone","encap":"vlan","subnet":"10.43.0.0/24","gateway":"10.43.0.1"}""", "t1:onlyone")]
    [InlineData("networks", "t1:a:b", """{"tenantName":"t1","networkName":"a","encap":"vlan","subnet":"10.44.0.0/24","gateway":"10.44.0.1"}""", "t1:a")]
    [InlineData("tenants", "t1:x", """{"tenantName":"t1"}""", "t1")]
    public async Task KeyWithTheWrongNumberOfPartsIsRefused(string plural, string key, string body, string bodyKey)
    {
        var reply = await Send(HttpMethod.Post, $"/api/v1/{plural}/{key}/", body);
        AssertRefused(reply, HttpStatusCode.BadRequest, "key");
        await AssertStillServes();
        if (bodyKey == "t1")
        {
            // t1 exists (fixture): it must be untouched, not re-created from this body.
            Assert.Equal(HttpStatusCode.OK, (await Rest.Get("tenants", "t1")).Status);
        }
        else
        {
            await AssertAbsent(plural, bodyKey);
        }
    }

    // ---- names --------------------------------------------------------------------------------

    [Theory]
    [InlineData("t:1")]
    [InlineData("t|1")]
    [InlineData("-t")]
    [InlineData("t-")]
    [InlineData("t@1")]
    [InlineData("tø")]
    [InlineData("t 1")]
    [InlineData(" t1")]
    [InlineData("t..1")]
    public async Task TenantNameWithBadCharactersIsRefused(string name)
    {
        var body = new JsonObject { ["tenantName"] = name }.ToJsonString();
        var reply = await Send(HttpMethod.Post, $"/api/v1/tenants/{KeyInPath(name)}/", body);
        // "t:1" has two key parts for a one-part key: "Invalid Key" names the problem as well.
        if (name.Contains(':')) AssertRefused(reply, HttpStatusCode.BadRequest, "tenantName", "key");
        else AssertRefused(reply, HttpStatusCode.BadRequest, "tenantName");
        await AssertStillServes();
        await AssertNotListed("tenants", "tenantName", name);
    }

    [Theory]
    [InlineData("n|1")]
    [InlineData("n 1")]
    [InlineData("n_1")]
    public async Task NetworkNameWithBadCharactersIsRefused(string name)
    {
        var body = new JsonObject
        {
            ["tenantName"] = "t1", ["networkName"] = name, ["encap"] = "vlan", ["subnet"] = "10.45.0.0/24", ["gateway"] = "10.45.0.1",
        }.ToJsonString();
        var reply = await Send(HttpMethod.Post, $"/api/v1/networks/t1:{KeyInPath(name)}/", body);
        AssertRefused(reply, HttpStatusCode.BadRequest, "networkName");
        await AssertStillServes();
        await AssertNotListed("networks", "networkName", name);
    }

    [Fact]
    public async Task TenantNameOf65CharactersIsRefusedAnd64Accepted()
    {
        var tooLong = "t" + new string('a', 64);
        var reply = await Send(HttpMethod.Post, $"/api/v1/tenants/{tooLong}/", new JsonObject { ["tenantName"] = tooLong }.ToJsonString());
        AssertRefused(reply, HttpStatusCode.BadRequest, "tenantName");
        await AssertStillServesAndAbsent("tenants", tooLong);

        var longest = "t" + new string('a', 63);
        var ok = await Rest.Post("tenants", longest, new { tenantName = longest });
        Assert.True(ok.Ok, $"a 64-character tenant name is valid: {ok}");
        Assert.True((await Rest.Delete("tenants", longest)).Ok);
    }

    [Fact]
    public async Task NetworkNameOf65CharactersIsRefused()
    {
        var tooLong = "n" + new string('b', 64);
        var body = new JsonObject
        {
            ["tenantName"] = "t1", ["networkName"] = tooLong, ["encap"] = "vlan", ["subnet"] = "10.46.0.0/24", ["gateway"] = "10.46.0.1",
        }.ToJsonString();
        var reply = await Send(HttpMethod.Post, $"/api/v1/networks/t1:{tooLong}/", body);
        AssertRefused(reply, HttpStatusCode.BadRequest, "networkName");
        await AssertStillServesAndAbsent("networks", $"t1:{tooLong}");
    }

    [Fact]
    public async Task ServiceNameOf257CharactersIsRefusedAnd256Accepted()
    {
        static string Body(string name) => new JsonObject
        {
            ["tenantName"] = "t1", ["serviceName"] = name, ["networkName"] = "base",
            ["selectors"] = new JsonArray("app=web"), ["ports"] = new JsonArray("80:8080:TCP"),
        }.ToJsonString();

        var tooLong = "s" + new string('c', 256);
        var reply = await Send(HttpMethod.Post, $"/api/v1/serviceLBs/t1:{tooLong}/", Body(tooLong));
        AssertRefused(reply, HttpStatusCode.BadRequest, "serviceName");
        await AssertStillServesAndAbsent("serviceLBs", $"t1:{tooLong}");

        var longest = "s" + new string('c', 255);
        var ok = await Send(HttpMethod.Post, $"/api/v1/serviceLBs/t1:{longest}/", Body(longest));
        Assert.True((int)ok.Status is >= 200 and < 300, $"a 256-character service name is valid: {ok}");
        Assert.True((await Rest.Delete("serviceLBs", $"t1:{longest}")).Ok);
    }

    // ---- routes -------------------------------------------------------------------------------

    [Fact]
    public async Task MissingTrailingSlashIs404SayingSo()
    {
        var post = await Send(HttpMethod.Post, "/api/v1/tenants/ts1", """{"tenantName":"ts1"}""");
        AssertRefused(post, HttpStatusCode.NotFound, "slash");
        await AssertStillServesAndAbsent("tenants", "ts1");

        var get = await Send(HttpMethod.Get, "/api/v1/tenants/default", null);
        AssertRefused(get, HttpStatusCode.NotFound, "slash");
    }

    [Theory]
    [InlineData("GET", "/api/v1/foobars/x/")]
    [InlineData("POST", "/api/v1/foobars/x/")]
    [InlineData("DELETE", "/api/v1/foobars/x/")]
    [InlineData("GET", "/api/v1/foobars/")]
    [InlineData("GET", "/api/v1/inspect/foobars/x/")]
    public async Task UnknownPluralIs404NamingIt(string method, string path)
    {
        var reply = await Send(new HttpMethod(method), path, method == "POST" ? """{"name":"x"}""" : null);
        AssertRefused(reply, HttpStatusCode.NotFound, "foobars");
        await AssertStillServes();
    }

    [Fact]
    public async Task PatchIs405()
    {
        var reply = await Send(HttpMethod.Patch, "/api/v1/tenants/tp1/", """{"tenantName":"tp1"}""");
        AssertRefused(reply, HttpStatusCode.MethodNotAllowed, "PATCH", "method");
        await AssertStillServesAndAbsent("tenants", "tp1");
    }

    // ---- size ---------------------------------------------------------------------------------

    [Fact]
    public async Task TwoMebibyteBodyIsRefused()
    {
        var reply = await SendContent(HttpMethod.Post, "/api/v1/tenants/big1/", new ByteArrayContent(Padded("big1")));
        AssertRefused(reply, null);
        Assert.True(reply.Status is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"expected 413 or 400: {reply}");
        await AssertStillServesAndAbsent("tenants", "big1");
    }

    [Fact]
    public async Task TwoMebibyteChunkedBodyIsRefused()
    {
        // No Content-Length: the limit must hold while reading, not only by the header.
        var reply = await SendContent(HttpMethod.Post, "/api/v1/tenants/big2/", new ChunkedContent(Padded("big2")));
        AssertRefused(reply, null);
        Assert.True(reply.Status is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"expected 413 or 400: {reply}");
        await AssertStillServesAndAbsent("tenants", "big2");
    }

    /// <summary>A valid tenant body padded with an unknown (and so otherwise ignored) member to 2 MiB.</summary>
    private static byte[] Padded(string tenant) =>
        Encoding.UTF8.GetBytes($$"""{"tenantName":"{{tenant}}","padding":"{{new string('x', 2 * 1024 * 1024)}}"}""");

    // ---- many at once -------------------------------------------------------------------------

    [Fact]
    public async Task TwoHundredConcurrentMalformedRequestsLeaveTheMasterServing()
    {
        (HttpMethod Method, string Path, string? Body) Bad(int i) => (i % 8) switch
        {
            0 => (HttpMethod.Post, $"/api/v1/tenants/cc{i}/", $$"""{"tenantName":"cc{{i}}" """),
            1 => (HttpMethod.Post, $"/api/v1/tenants/cc{i}/", "[1,2,3]"),
            2 => (HttpMethod.Post, $"/api/v1/rules/t1:p1:cc{i}/", RuleBody($"cc{i}", "priority", "0")),
            3 => (HttpMethod.Post, $"/api/v1/networks/t1:cc{i}/", $$"""{"tenantName":"t1","networkName":"cc{{i}}","encap":"vlan","pktTag":"abc","subnet":"10.50.0.0/24"}"""),
            4 => (HttpMethod.Post, $"/api/v1/networks/t1:cc{i}/", $$"""{"tenantName":"t1","networkName":"other{{i}}","encap":"vlan","subnet":"10.51.0.0/24","gateway":"10.51.0.1"}"""),
            5 => (HttpMethod.Post, $"/api/v1/foobars/cc{i}/", "{}"),
            6 => (HttpMethod.Post, $"/api/v1/tenants/cc{i}/", ""),
            _ => (HttpMethod.Post, $"/api/v1/tenants/cc{i}/", $$"""{"tenantName":"cc{{i}}@"}"""),
        };

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var (method, path, body) = Bad(i);
            return (Path: path, Reply: await Send(method, path, body));
        }));

        var wrong = replies.Where(r => (int)r.Reply.Status is < 400 or >= 500).ToList();
        Assert.True(wrong.Count == 0, "not refused with a 4xx: " + string.Join("; ", wrong.Take(10).Select(r => $"{r.Path} -> {r.Reply}")));
        Assert.All(replies, r => Assert.False(string.IsNullOrWhiteSpace(r.Reply.Body), $"{r.Path}: empty error body"));

        await AssertStillServes();
        foreach (var plural in new[] { "tenants", "networks", "rules" })
        {
            var list = await Rest.List(plural);
            Assert.Equal(HttpStatusCode.OK, list.Status);
            var stored = (JsonNode.Parse(list.Body) as JsonArray ?? [])
                .Select(o => o?["key"]?.GetValue<string>() ?? "")
                .Where(k => k.Split(':').Any(part => part.StartsWith("cc", StringComparison.Ordinal) || part.StartsWith("other", StringComparison.Ordinal)))
                .ToList();
            Assert.True(stored.Count == 0, $"stored from refused requests: {string.Join(", ", stored)}");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /// <summary>A valid rule t1:p1:ruleId (in, tcp 80, allow, priority 10), optionally with one field set to raw JSON.</summary>
    private static string RuleBody(string ruleId, string? field = null, string? jsonValue = null)
    {
        var rule = new JsonObject
        {
            ["tenantName"] = "t1", ["policyName"] = "p1", ["ruleId"] = ruleId, ["direction"] = "in", ["priority"] = 10,
            ["protocol"] = "tcp", ["port"] = 80, ["action"] = "allow",
        };
        if (field is not null) rule[field] = JsonNode.Parse(jsonValue!);
        return rule.ToJsonString();
    }

    private sealed record RawReply(HttpStatusCode Status, string Body, string? MediaType)
    {
        public override string ToString() =>
            $"{(int)Status} [{MediaType ?? "no content type"}] {(Body.Length > 500 ? Body[..500] + $"... ({Body.Length} chars)" : Body)}";
    }

    /// <summary>Like netctl: no Content-Type on the request.</summary>
    private Task<RawReply> Send(HttpMethod method, string path, string? body) =>
        SendContent(method, path, body is null ? null : new ByteArrayContent(Encoding.UTF8.GetBytes(body)));

    private async Task<RawReply> SendContent(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await Http.SendAsync(request);
        return new RawReply(response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// A 4xx (the given one, if any), a non-empty plain-text body that contains at least one of
    /// the words naming the problem (case-insensitive).
    /// </summary>
    private static void AssertRefused(RawReply reply, HttpStatusCode? expected, params string[] namesTheProblem)
    {
        Assert.True((int)reply.Status is >= 400 and < 500, $"expected a 4xx: {reply}");
        if (expected is { } status) Assert.True(reply.Status == status, $"expected {(int)status}: {reply}");
        Assert.False(string.IsNullOrWhiteSpace(reply.Body), $"the refusal carries no message: {reply}");
        Assert.True(reply.MediaType is null || reply.MediaType == "text/plain", $"errors are plain text: {reply}");
        if (namesTheProblem.Length > 0)
        {
            Assert.True(namesTheProblem.Any(word => reply.Body.Contains(word, StringComparison.OrdinalIgnoreCase)),
                $"the message should name the problem ({string.Join(" or ", namesTheProblem)}): {reply}");
        }
    }

    private async Task AssertStillServes()
    {
        var reply = await Rest.Get("tenants", "default");
        Assert.True(reply.Status == HttpStatusCode.OK, $"the master stopped serving: GET tenants/default -> {reply}");
    }

    private async Task AssertAbsent(string plural, string key)
    {
        var reply = await Send(HttpMethod.Get, $"/api/v1/{plural}/{KeyInPath(key)}/", null);
        Assert.True(reply.Status == HttpStatusCode.NotFound, $"{plural}/{key} should not exist: {reply}");
    }

    private async Task AssertStillServesAndAbsent(string plural, string key)
    {
        await AssertStillServes();
        await AssertAbsent(plural, key);
    }

    /// <summary>For names that cannot be looked up by key (a ':' in them), search the list.</summary>
    private async Task AssertNotListed(string plural, string field, string name)
    {
        var list = await Rest.List(plural);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var found = (JsonNode.Parse(list.Body) as JsonArray ?? []).Any(o => o?[field]?.GetValue<string>() == name);
        Assert.False(found, $"{plural} with {field} '{name}' was stored");
    }

    /// <summary>A key as it appears in a path: escaped, but with its ':' separators literal.</summary>
    private static string KeyInPath(string key) => Uri.EscapeDataString(key).Replace("%3A", ":", StringComparison.Ordinal);

    private static string Canonical(JsonNode node) => Contiv.Tests.Durability.JsonKit.Canonical(node);

    /// <summary>Content of unknown length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedContent(byte[] data) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
