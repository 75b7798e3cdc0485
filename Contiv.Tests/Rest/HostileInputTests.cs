using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Rest;

/// <summary>
/// Hostile or careless input against a real master over real sockets: required fields, unknown fields,
/// and broken bodies.
/// </summary>
[Trait("Category", "Auth")]
public sealed class HostileInputTests(BadInputMasterFixture fixture) : IClassFixture<BadInputMasterFixture>
{
    private RestClient Rest => fixture.Rest;

    // ---- required means present and non-empty -------------------------------------------------

    public static TheoryData<string, string, string, string, string> RequiredFields()
    {
        var cases = new TheoryData<string, string, string, string, string>();
        void Add(string plural, string key, string type, JsonObject body, params string[] fields)
        {
            foreach (var field in fields)
            {
                cases.Add(plural, key, type, body.ToJsonString(), field);
            }
        }
        Add("networks", "t1:rqn", "network", new JsonObject
        {
            ["tenantName"] = "t1", ["networkName"] = "rqn", ["encap"] = "vlan", ["subnet"] = "10.210.0.0/24", ["gateway"] = "10.210.0.1",
        }, "encap", "subnet");
        Add("endpointGroups", "t1:rqg", "endpointGroup", new JsonObject
        {
            ["tenantName"] = "t1", ["groupName"] = "rqg", ["networkName"] = "base",
        }, "networkName");
        Add("rules", "t1:p1:rqr", "rule", new JsonObject
        {
            ["tenantName"] = "t1", ["policyName"] = "p1", ["ruleId"] = "rqr", ["direction"] = "in", ["priority"] = 10,
            ["protocol"] = "tcp", ["port"] = 80, ["action"] = "deny",
        }, "direction", "action");
        Add("globals", "global", "global", new JsonObject
        {
            ["name"] = "global", ["networkInfraType"] = "default", ["vlans"] = "1-4094", ["vxlans"] = "1-10000",
            ["fwdMode"] = "bridge", ["arpMode"] = "proxy", ["pvtSubnet"] = "172.19.0.0/16",
        }, "vlans", "vxlans", "pvtSubnet");
        Add("serviceLBs", "t1:rqs", "serviceLB", new JsonObject
        {
            ["tenantName"] = "t1", ["serviceName"] = "rqs", ["networkName"] = "base",
            ["selectors"] = new JsonArray("app=web"), ["ports"] = new JsonArray("80:8080:TCP"),
        }, "networkName");
        Add("Bgps", "rqhost", "Bgp", new JsonObject
        {
            ["hostname"] = "rqhost", ["routerip"] = "50.1.1.2/24", ["as"] = "65002", ["neighbor-as"] = "500", ["neighbor"] = "50.1.1.1",
        }, "routerip");
        return cases;
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public async Task A_required_field_left_out_is_refused_naming_it_and_the_object(string plural, string key, string type, string body, string field)
    {
        var without = JsonNode.Parse(body)!.AsObject();
        without.Remove(field);
        await AssertRequired(plural, key, type, field, without);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public async Task A_required_field_sent_empty_is_refused_naming_it_and_the_object(string plural, string key, string type, string body, string field)
    {
        var empty = JsonNode.Parse(body)!.AsObject();
        empty[field] = "";
        await AssertRequired(plural, key, type, field, empty);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public async Task The_full_object_of_each_required_field_case_is_accepted(string plural, string key, string type, string body, string field)
    {
        // The refusals above are about the field alone: the same object with it is valid.
        _ = (type, field);
        var reply = await Rest.PostRaw($"/api/v1/{plural}/{key}/", body);
        Assert.True(reply.Ok, $"{plural}/{key}: {reply}");
        if (plural != "globals") Assert.True((await Rest.Delete(plural, key)).Ok);
    }

    [Theory]
    [InlineData("tenants", "t1", """{"tenantName":""}""", "tenantName")]
    [InlineData("policys", "t1:", """{"tenantName":"t1","policyName":""}""", "policyName")]
    [InlineData("rules", "t1:p1:", """{"tenantName":"t1","policyName":"p1","ruleId":"","direction":"in","action":"allow"}""", "ruleId")]
    public async Task An_empty_key_field_is_refused(string plural, string key, string body, string field)
    {
        var reply = await Rest.PostRaw($"/api/v1/{plural}/{key}/", body);
        Assert.True(reply.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{reply}");
        Assert.True(reply.Body.Contains(field, StringComparison.Ordinal) || reply.Body.Contains("Key", StringComparison.Ordinal), $"{reply}");
    }

    private async Task AssertRequired(string plural, string key, string type, string field, JsonObject body)
    {
        var before = await Rest.Get(plural, key);
        var reply = await Rest.PostRaw($"/api/v1/{plural}/{key}/", body.ToJsonString());
        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{plural}/{key} without {field}: {reply}");
        Assert.StartsWith($"{type} {key}: {field} is required (", reply.Body);
        var after = await Rest.Get(plural, key);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.Body, after.Body);
    }

    // ---- unknown fields -----------------------------------------------------------------------

    [Theory]
    [InlineData("rules", "t1:p1:uf1", """{"tenantName":"t1","policyName":"p1","ruleId":"uf1","direction":"in","action":"allow","actoin":"deny"}""", "actoin", "rule")]
    [InlineData("tenants", "uf2", """{"tenantName":"uf2","defaultNetwrok":"n1"}""", "defaultNetwrok", "tenant")]
    [InlineData("networks", "t1:uf3", """{"tenantName":"t1","networkName":"uf3","encap":"vlan","subnet":"10.211.0.0/24","pkttag":5,"vlan":7}""", "vlan", "network")]
    [InlineData("Bgps", "uf4", """{"hostname":"uf4","routerip":"50.1.1.2/24","Oper":{}}""", "Oper", "Bgp")]
    public async Task An_unknown_field_is_refused_by_name(string plural, string key, string body, string field, string type)
    {
        var reply = await Rest.PostRaw($"/api/v1/{plural}/{key}/", body);
        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{reply}");
        Assert.StartsWith($"unknown field {field} in {type}", reply.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.Get(plural, key)).Status);
    }

    [Fact]
    public async Task What_netctl_sends_back_key_links_and_link_sets_is_accepted()
    {
        var body = """
            {"key":"t1:p1:ek1","tenantName":"t1","policyName":"p1","ruleId":"ek1","direction":"in","priority":5,
             "protocol":"tcp","port":22,"action":"deny","links":{"MatchEndpointGroup":{}},
             "link-sets":{"Policies":{"t1:p1":{"type":"policy","key":"t1:p1"}}}}
            """;
        var reply = await Rest.PostRaw("/api/v1/rules/t1:p1:ek1/", body);
        Assert.True(reply.Ok, $"{reply}");
        var got = await Rest.Get("rules", "t1:p1:ek1");
        Assert.Equal("deny", got.Json["action"]!.GetValue<string>());
        Assert.True((await Rest.Delete("rules", "t1:p1:ek1")).Ok);
    }

    [Fact]
    public async Task A_get_answer_posted_back_unchanged_is_accepted()
    {
        var network = await Rest.Get("networks", "t1:base");
        Assert.True(network.Ok, $"{network}");
        var reply = await Rest.PostRaw("/api/v1/networks/t1:base/", network.Body);
        Assert.True(reply.Ok, $"{reply}");
    }

    // ---- bodies that cannot be read -----------------------------------------------------------

    [Fact]
    public async Task A_malformed_chunked_body_is_answered_400_with_a_message()
    {
        var answer = await Raw(
            "POST /api/v1/tenants/chunk1/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{\"tenantName\":\"chunk1\"}\r\n0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.True(MessageOf(answer).Length > 0, $"no message: {answer}");
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.Get("tenants", "chunk1")).Status);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_then_a_stall_is_answered_408_with_a_message()
    {
        // Kestrel's minimum body data rate (contiv.master.limits) cuts the stalled body off after its grace period.
        var answer = await Raw("POST /api/v1/tenants/stall1/ HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"tenantName\":");
        Assert.StartsWith("HTTP/1.1 408", answer);
        Assert.True(MessageOf(answer).Length > 0, $"no message: {answer}");
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.Get("tenants", "stall1")).Status);
    }


    // ---- a client that closes its sending side still gets its answer -------------------------

    [Fact]
    public async Task A_read_whose_client_half_closes_its_connection_is_answered()
    {
        var answer = await Raw("GET /api/v1/tenants/default/ HTTP/1.1\r\nHost: x\r\n\r\n", halfClose: true);
        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.Contains("\"tenantName\":\"default\"", answer);
    }

    [Theory]
    [InlineData("Content-Length: 27\r\n\r\n{\"tenantName\":\"halfclose1\"}", "halfclose1")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n1b\r\n{\"tenantName\":\"halfclose2\"}\r\n0\r\n\r\n", "halfclose2")]
    public async Task A_write_whose_client_half_closes_after_its_body_is_done_and_answered(string framedBody, string tenant)
    {
        var answer = await Raw($"POST /api/v1/tenants/{tenant}/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{framedBody}",
            halfClose: true);
        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.Contains($"\"tenantName\":\"{tenant}\"", answer);
        Assert.Equal(HttpStatusCode.OK, (await Rest.Get("tenants", tenant)).Status);
    }

    [Fact]
    public async Task A_body_cut_short_by_a_half_close_changes_nothing_and_is_not_held_open()
    {
        // Kestrel closes such a connection itself, before the application may answer: the client said it
        // was done and sent less than it announced. What matters is that the close is prompt (Raw gives
        // up after 60 s and the test fails) and that nothing was made.
        var answer = await Raw("POST /api/v1/tenants/halfcut1/ HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"tenantName\":",
            halfClose: true);
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), answer);
        Assert.Equal(HttpStatusCode.NotFound, (await Rest.Get("tenants", "halfcut1")).Status);
    }

    // ---- requests for what does not exist start nothing ---------------------------------------

    [Fact]
    public async Task Reads_writes_and_deletes_in_5000_tenants_that_do_not_exist_start_no_entity()
    {
        var before = await LocalEntities();
        var journalBefore = JournalRows();
        var requests = Enumerable.Range(0, 5000).Select(i => (i % 7) switch
        {
            0 => (HttpMethod.Get, $"/api/v1/tenants/ghost{i}/", null),
            1 => (HttpMethod.Get, $"/api/v1/inspect/tenants/ghost{i}/", null),
            2 => (HttpMethod.Delete, $"/api/v1/networks/ghost{i}:n1/", null),
            3 => (HttpMethod.Get, $"/api/v1/inspect/endpoints/ghost{i}/", null),
            4 => (HttpMethod.Post, $"/api/v1/networks/ghost{i}:n1/", new JsonObject
            {
                ["tenantName"] = $"ghost{i}", ["networkName"] = "n1", ["encap"] = "vxlan", ["subnet"] = "10.77.0.0/24",
            }.ToJsonString()),
            5 => (HttpMethod.Post, $"/api/v1/policys/ghost{i}:p1/", new JsonObject { ["tenantName"] = $"ghost{i}", ["policyName"] = "p1" }.ToJsonString()),
            _ => (HttpMethod.Delete, $"/api/v1/tenants/ghost{i}/", (string?)null),
        }).ToList();
        using var gate = new SemaphoreSlim(16);
        var answers = await Task.WhenAll(requests.Select(async r =>
        {
            await gate.WaitAsync();
            try { return (r.Item2, await Rest.Send(r.Item1, r.Item2, r.Item3)); }
            finally { gate.Release(); }
        }));
        Assert.All(answers, a => Assert.True(a.Item2.Status == HttpStatusCode.NotFound, $"{a.Item1}: {a.Item2}"));
        Assert.Contains("Tenant ghost2 not found", answers[2].Item2.Body);
        Assert.Contains("endpoint ghost3 not found", answers[3].Item2.Body);

        var after = await LocalEntities();
        Assert.True(after.Tenant <= before.Tenant, $"tenant entities {before.Tenant} before, {after.Tenant} after");
        Assert.True(after.Endpoint <= before.Endpoint, $"endpoint entities {before.Endpoint} before, {after.Endpoint} after");
        // A started entity is written down by its shard (remembered entities) even if it stops at once.
        Assert.Equal(journalBefore, JournalRows());
    }

    private long JournalRows()
    {
        var file = Path.Combine(fixture.Master.DataDir, "contiv.db");
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal";
        return (long)command.ExecuteScalar()!;
    }

    private async Task<(int Tenant, int Endpoint)> LocalEntities()
    {
        var info = await Rest.GetPath("/info");
        Assert.True(info.Ok, $"{info}");
        var counts = info.Json["local-entities"]!;
        return (counts["tenant"]!.GetValue<int>(), counts["endpoint"]?.GetValue<int>() ?? 0);
    }

    // ---- raw sockets --------------------------------------------------------------------------

    /// <summary>Sends <paramref name="request"/> as is and reads until the master closes or a whole answer came.</summary>
    private async Task<string> Raw(string request, bool halfClose = false)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Master.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        if (halfClose) socket.Shutdown(SocketShutdown.Send);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (!Complete(received.ToString()))
        {
            int read;
            try { read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token); }
            catch (SocketException) { break; }
            if (read == 0) break;
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return received.ToString();
    }

    private static bool Complete(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var length = answer[..end].Split("\r\n")
            .FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))?.Split(':')[1].Trim();
        return length is not null && Encoding.UTF8.GetByteCount(answer[(end + 4)..]) >= int.Parse(length);
    }

    private static string MessageOf(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? "" : answer[(end + 4)..].Trim();
    }
}
