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
    public async Task A_master_asked_for_postgres_without_a_connection_string_refuses_to_start()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => MasterProcess.StartAsync(extraArgs: ["--journal", "postgres"]));
        Assert.Contains("--journal postgres needs --connection-string", failure.Message);
    }
}
