using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Contiv.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Every master answers reads from its own read model. What README promises, on three real masters on PostgreSQL:
/// a write acknowledged by a master is in that master's very next GET and list (no retry), whichever master the
/// tenant's entity runs on; the other masters show it soon after; a master restarted while others write catches
/// up from the tenants' dumps, shows its own first writes at once, and answers the same as the others.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Collection(MastersCollection.Name)]
public sealed class ReadModelAcrossMastersTests(ITestOutputHelper output)
{
    private const int TenantCount = 4;
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_write_is_read_back_at_once_through_the_master_that_acknowledged_it_and_soon_through_every_other()
    {
        await using var cluster = await MasterCluster.StartAsync(3);
        using var clients = new MasterClients(cluster.Masters);
        for (var t = 0; t < TenantCount; t++) await clients.PostOkAsync("tenants", $"t{t}", $$"""{"tenantName":"t{{t}}"}""");

        var written = new List<string>();
        var homes = new HashSet<string>();
        for (var t = 0; t < TenantCount; t++) homes.Add(await clients.ServedByAsync($"t{t}", t));
        output.WriteLine($"tenants run on {homes.Count} master(s)");
        // Every master writes to every tenant, so each write crosses to the tenant's home for some and stays local for others.
        foreach (var master in cluster.Masters)
        {
            for (var t = 0; t < TenantCount; t++)
            {
                var key = $"t{t}:p{master.Index}";
                var (status, body) = await Send(master, HttpMethod.Post, $"/api/v1/policys/{key}/", $$"""{"tenantName":"t{{t}}","policyName":"p{{master.Index}}"}""");
                Assert.True(status == HttpStatusCode.OK, $"POST {key} through master {master.Index}: {(int?)status} {body}");
                var (got, view) = await Send(master, HttpMethod.Get, $"/api/v1/policys/{key}/");
                Assert.True(got == HttpStatusCode.OK, $"GET {key} through master {master.Index} right after its write: {(int?)got} {view}");
                Assert.Contains(key, await ListedKeys(master, "policys"));
                written.Add(key);
            }
        }

        foreach (var master in cluster.Masters) await AssertSoonListed(master, written);

        // A restarted master has an empty read model: it loads every tenant before it answers, then follows.
        var restarted = cluster.Masters[1];
        await restarted.StopAsync();
        var other = cluster.Masters[0];
        var (late, lateBody) = await Send(other, HttpMethod.Post, "/api/v1/policys/t0:late/", """{"tenantName":"t0","policyName":"late"}""");
        Assert.True(late == HttpStatusCode.OK, $"POST t0:late while master 1 is down: {(int?)late} {lateBody}");
        written.Add("t0:late");
        await restarted.StartAsync();
        await cluster.WaitForMastersUpAsync(3, TimeSpan.FromSeconds(60));
        // Its first writes are shown at once too, though its subscription may not have reached every master yet.
        for (var t = 0; t < TenantCount; t++)
        {
            var key = $"t{t}:back";
            var (status, body) = await Send(restarted, HttpMethod.Post, $"/api/v1/policys/{key}/", $$"""{"tenantName":"t{{t}}","policyName":"back"}""");
            Assert.True(status == HttpStatusCode.OK, $"POST {key} through the restarted master: {(int?)status} {body}");
            var (got, view) = await Send(restarted, HttpMethod.Get, $"/api/v1/policys/{key}/");
            Assert.True(got == HttpStatusCode.OK, $"GET {key} through the restarted master right after its write: {(int?)got} {view}");
            written.Add(key);
        }
        foreach (var master in cluster.Masters) await AssertSoonListed(master, written);
        Assert.Equal(await ListedKeys(other, "policys"), await ListedKeys(restarted, "policys"));
        Assert.Equal(await ListedKeys(other, "tenants"), await ListedKeys(restarted, "tenants"));
    }

    private static async Task<(HttpStatusCode? Status, string Body)> Send(ClusterMaster master, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(master.RestUrl, path));
        if (body is not null) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        try
        {
            using var response = await master.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
    }

    private static async Task<List<string>> ListedKeys(ClusterMaster master, string plural)
    {
        var (status, body) = await Send(master, HttpMethod.Get, $"/api/v1/{plural}/");
        Assert.True(status == HttpStatusCode.OK, $"GET {plural} through master {master.Index}: {(int?)status} {body}");
        return [.. JsonNode.Parse(body)!.AsArray().Select(o => o!["key"]!.GetValue<string>())];
    }

    private async Task AssertSoonListed(ClusterMaster master, IReadOnlyCollection<string> keys)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await Send(master, HttpMethod.Get, "/api/v1/policys/");
            var listed = status == HttpStatusCode.OK ? JsonNode.Parse(body)!.AsArray().Select(o => o!["key"]!.GetValue<string>()).ToHashSet() : [];
            var missing = keys.Where(k => !listed.Contains(k)).ToList();
            if (missing.Count == 0)
            {
                output.WriteLine($"master {master.Index} lists all {keys.Count} after {clock.ElapsedMilliseconds} ms");
                return;
            }
            Assert.True(clock.Elapsed < Soon, $"master {master.Index} still misses {string.Join(", ", missing)} after {Soon.TotalSeconds} s ({(int?)status})");
            await Task.Delay(50);
        }
    }
}
