using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Contiv.Lab;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Durability;

/// <summary>The master on a real PostgreSQL journal (issue #5's first step): schema made on first start, state kept across restarts, clear refusal of a database it cannot use.</summary>
[Trait("Category", "Postgres")]
public sealed class PostgresJournalTests
{
    private static string[] Journal(PostgresSandbox pg) => ["--journal", "postgres", "--connection-string", pg.ConnectionString];

    private static async Task Post(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8));
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_master_on_postgres_creates_its_schema_and_finds_everything_again_after_a_restart()
    {
        await using var pg = await PostgresSandbox.StartAsync();
        JsonElement networkBefore;
        await using (var first = await MasterProcess.StartAsync(extraArgs: Journal(pg)))
        {
            Assert.Contains("journal on PostgreSQL", first.Output);
            Assert.DoesNotContain("Password", first.Output);
            await Post(first.Http, "/api/v1/tenants/t1/", """{"tenantName":"t1"}""");
            await Post(first.Http, "/api/v1/networks/t1:n1/", """{"tenantName":"t1","networkName":"n1","encap":"vxlan","subnet":"10.1.0.0/24","gateway":"10.1.0.1"}""");
            await Post(first.Http, "/api/v1/policys/t1:p1/", """{"tenantName":"t1","policyName":"p1"}""");
            await Post(first.Http, "/api/v1/rules/t1:p1:1/", """{"tenantName":"t1","policyName":"p1","ruleId":"1","direction":"in","priority":5,"protocol":"tcp","port":80,"action":"allow"}""");
            await Post(first.Http, "/api/v1/endpointGroups/t1:web/", """{"tenantName":"t1","groupName":"web","networkName":"n1","policies":["p1"]}""");
            networkBefore = await first.Http.GetFromJsonAsync<JsonElement>("/api/v1/inspect/networks/t1:n1/");
            await first.StopAsync();
        }

        await using var second = await MasterProcess.StartAsync(extraArgs: Journal(pg));
        var networkAfter = await second.Http.GetFromJsonAsync<JsonElement>("/api/v1/inspect/networks/t1:n1/");
        Assert.Equal(networkBefore.GetProperty("Oper").GetProperty("externalPktTag").GetInt32(), networkAfter.GetProperty("Oper").GetProperty("externalPktTag").GetInt32());
        var group = await second.Http.GetFromJsonAsync<JsonElement>("/api/v1/endpointGroups/t1:web/");
        Assert.Equal("p1", group.GetProperty("policies")[0].GetString());
        var rule = await second.Http.GetFromJsonAsync<JsonElement>("/api/v1/rules/t1:p1:1/");
        Assert.Equal(80, rule.GetProperty("port").GetInt32());
        // The VNI allocator kept its state: the next network gets the next VNI, not the same one again.
        await Post(second.Http, "/api/v1/networks/t1:n2/", """{"tenantName":"t1","networkName":"n2","encap":"vxlan","subnet":"10.2.0.0/24","gateway":"10.2.0.1"}""");
        var n2 = await second.Http.GetFromJsonAsync<JsonElement>("/api/v1/inspect/networks/t1:n2/");
        Assert.NotEqual(networkAfter.GetProperty("Oper").GetProperty("externalPktTag").GetInt32(), n2.GetProperty("Oper").GetProperty("externalPktTag").GetInt32());
    }

    [Fact]
    public async Task A_master_that_loses_postgres_answers_503_for_writes_keeps_answering_reads_from_memory_and_recovers()
    {
        await using var pg = await PostgresSandbox.StartAsync();
        await using var master = await MasterProcess.StartAsync(extraArgs: Journal(pg));
        await Post(master.Http, "/api/v1/tenants/t1/", """{"tenantName":"t1"}""");
        await Post(master.Http, "/api/v1/policys/t1:before/", """{"tenantName":"t1","policyName":"before"}""");
        await Post(master.Http, "/api/v1/tenants/t2/", """{"tenantName":"t2"}""");
        await Post(master.Http, "/api/v1/policys/t2:kept/", """{"tenantName":"t2","policyName":"kept"}""");

        await pg.StopAsync();
        // The write under way when the database went gets 503 from its entity; once the probe notices,
        // every write is refused at once with the reason. Never a 500.
        var refused = await WriteUntil(master.Http, "during", (status, _) => status != HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        // Answered by the entity whose write failed (or by the probe's refusal), not by the request timeout.
        Assert.DoesNotContain("did not answer within", refused.Body);
        var named = await WriteUntil(master.Http, "during", (_, body) => body.Contains("PostgreSQL", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, named.Status);
        Assert.Contains($"Port={pg.Port}", named.Body);
        // Once the master knows, the gateway refuses a write itself, with the reason, before any entity is asked.
        var again = await WriteUntil(master.Http, "during2", (_, _) => true, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, again.Status);
        Assert.Contains("writes are refused until it answers again", again.Body);
        // A tenant no write touched meanwhile still answers reads from memory (t1's entity stopped when its
        // write failed, and cannot recover its state until the journal is back).
        using (var read = await master.Http.GetAsync("/api/v1/policys/t2:kept/"))
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        await pg.StartAgainAsync();
        await WriteUntil(master.Http, "after", (status, _) => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        using var list = await master.Http.GetAsync("/api/v1/policys/");
        var names = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(p => p.GetProperty("policyName").GetString()).ToList();
        Assert.Contains("before", names);
        Assert.Contains("after", names);
        Assert.Contains("kept", names);
        Assert.DoesNotContain("during2", names);
        Assert.Contains("PostgreSQL journal answers again", master.Output);
    }

    /// <summary>Writes policy t1:<paramref name="name"/> until the answer satisfies <paramref name="done"/>; no answer may be a 500.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> WriteUntil(HttpClient http, string name, Func<HttpStatusCode, string, bool> done, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            using var reply = await http.PostAsync($"/api/v1/policys/t1:{name}/", new StringContent($$"""{"tenantName":"t1","policyName":"{{name}}"}""", Encoding.UTF8));
            var body = await reply.Content.ReadAsStringAsync();
            Assert.NotEqual(HttpStatusCode.InternalServerError, reply.StatusCode);
            if (done(reply.StatusCode, body)) return (reply.StatusCode, body);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"POST policys/t1:{name}: still {(int)reply.StatusCode} {body} after {patience.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_master_pointed_at_a_postgres_that_does_not_answer_says_so_and_exits_non_zero()
    {
        var nobody = LocalPorts.FreeTcpPort();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => MasterProcess.StartAsync(
            extraArgs: ["--journal", "postgres", "--connection-string", $"Host=127.0.0.1;Port={nobody};Username=contiv;Password=secret;Database=contiv;Timeout=3"]));
        Assert.Contains("exited early", failure.Message);
        Assert.Contains("cannot use the PostgreSQL journal", failure.Message);
        Assert.Contains($"Port={nobody}", failure.Message);
        Assert.DoesNotContain("secret", failure.Message);
    }

    [Fact]
    public async Task A_master_pointed_at_a_database_that_does_not_exist_says_so_and_exits_non_zero()
    {
        await using var pg = await PostgresSandbox.StartAsync();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => MasterProcess.StartAsync(
            extraArgs: ["--journal", "postgres", "--connection-string", pg.ConnectionString.Replace("Database=postgres", "Database=nosuchdb")]));
        Assert.Contains("exited early", failure.Message);
        Assert.Contains("cannot use the PostgreSQL journal", failure.Message);
        Assert.Contains("nosuchdb", failure.Message);
    }

    [Fact]
    public async Task A_master_asked_for_postgres_without_a_connection_string_refuses_to_start()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => MasterProcess.StartAsync(extraArgs: ["--journal", "postgres"]));
        Assert.Contains("--journal postgres needs --connection-string", failure.Message);
    }
}
