using System.Net;
using Contiv.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Three masters, each in a network namespace of its own: one master's cluster link is cut (the process keeps
/// running). The split brain resolver keeps the two-master side; the cut master downs itself, serves no write
/// meanwhile, and exits non-zero saying why; its tenants move to the majority. Healed and restarted, it rejoins.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Trait("Category", "Netns")]
[Collection(MastersCollection.Name)]
public sealed class MasterPartitionTests(ITestOutputHelper output)
{
    private const int TenantCount = 6;

    [Fact]
    public async Task A_master_cut_off_from_the_others_is_downed_stops_serving_writes_and_rejoins_when_healed_and_restarted()
    {
        await using var cluster = await MasterCluster.StartAsync(3, MasterPlacement.Namespaces);
        using var clients = new MasterClients(cluster.Masters);
        for (var t = 0; t < TenantCount; t++) await clients.PostOkAsync("tenants", $"t{t}", $$"""{"tenantName":"t{{t}}"}""");
        var homes = new Dictionary<string, string>();
        for (var t = 0; t < TenantCount; t++) homes[$"t{t}"] = await clients.ServedByAsync($"t{t}", t);
        // Not the oldest: the minority then also holds no coordinator, the usual case; and one that is home to a tenant.
        var cut = cluster.Masters.Skip(1).OrderByDescending(m => homes.Values.Count(h => h == m.Seed)).First();
        var cutTenants = homes.Where(h => h.Value == cut.Seed).Select(h => h.Key).ToList();
        var majority = cluster.Masters.Where(m => m != cut).ToList();
        output.WriteLine($"cutting master {cut.Index} ({cut.Seed}), home of {string.Join(", ", cutTenants)}");

        var downed = cut.Process.WhenPrinted("removed from the cluster");
        await cluster.CutAsync(cut);
        var cutAt = DateTime.UtcNow;

        // Until it goes, the cut master must not acknowledge a write: not to its own tenants, not to others'.
        var acknowledgedByCut = new List<string>();
        var attempt = 0;
        while (!cut.Process.HasExited && DateTime.UtcNow - cutAt < TimeSpan.FromSeconds(60))
        {
            var tenant = $"t{attempt % TenantCount}";
            using var http = cut.NewClient(TimeSpan.FromSeconds(3));
            try
            {
                using var reply = await http.PostAsync(new Uri(cut.RestUrl, $"/api/v1/policys/{tenant}:cut{attempt}/"),
                    new StringContent($$"""{"tenantName":"{{tenant}}","policyName":"cut{{attempt}}"}"""));
                if (reply.StatusCode == HttpStatusCode.OK) acknowledgedByCut.Add($"{tenant}:cut{attempt}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            attempt++;
            await Task.Delay(300);
        }
        Assert.Empty(acknowledgedByCut);
        await downed.WaitAsync(TimeSpan.FromSeconds(30));
        await cut.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"the cut master exited {cut.Process.ExitCode} after {(DateTime.UtcNow - cutAt).TotalSeconds:0.0} s, {attempt} writes refused meanwhile");
        Assert.Equal(3, cut.Process.ExitCode);

        // The majority lives on without it and serves the cut master's tenants.
        await cluster.WaitForMastersUpAsync(2, TimeSpan.FromSeconds(60));
        using var survivors = new MasterClients(majority);
        foreach (var tenant in cutTenants)
        {
            await survivors.PostUntilOkAsync("policys", $"{tenant}:after", $$"""{"tenantName":"{{tenant}}","policyName":"after"}""", TimeSpan.FromSeconds(30));
            var home = await survivors.ServedByAsync(tenant, 0);
            Assert.Contains(home, majority.Select(m => m.Seed));
        }

        // Healed and restarted, it rejoins and serves again.
        await cluster.HealAsync(cut);
        await cut.StartAsync();
        await cluster.WaitForMastersUpAsync(3, TimeSpan.FromSeconds(60));
        using var rejoined = new MasterClients([cut]);
        for (var t = 0; t < TenantCount; t++)
            await rejoined.PostUntilOkAsync("policys", $"t{t}:rejoined", $$"""{"tenantName":"t{{t}}","policyName":"rejoined"}""", TimeSpan.FromSeconds(30));
        foreach (var tenant in cutTenants)
            await rejoined.GetJsonAsync($"/api/v1/policys/{tenant}:after/", 0, TimeSpan.FromSeconds(10));
    }
}
