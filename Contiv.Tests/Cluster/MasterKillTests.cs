using System.Globalization;
using System.Text.Json.Nodes;
using Contiv.Lab;
using Contiv.Messages.Endpoints;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Three real masters on one PostgreSQL journal: one is killed with kill -9 in the middle of 1,000 writes
/// (networks, groups, rules over REST to all masters, endpoint allocations through the cluster); every
/// acknowledged write must be there exactly once, no VLAN, VNI or IP handed out twice, the dead master's
/// tenants served by the survivors; then the whole cluster restarts and all of it is still there.
/// </summary>
[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
[Collection(MastersCollection.Name)]
public sealed class MasterKillTests(ITestOutputHelper output)
{
    private const int TenantCount = 6;
    private const int WriteCount = 1000;
    private const int InFlight = 100;
    private const int KillAfter = 250;

    private static string Tenant(int i) => $"t{i % TenantCount}";

    /// <summary>A fifth each of networks (VXLAN and VLAN alternately), groups and endpoints, two fifths rules.</summary>
    private static List<MasterWrite> Load()
    {
        var writes = new List<MasterWrite>();
        for (var i = 0; i < WriteCount; i++)
        {
            var t = Tenant(i);
            writes.Add((i % 5) switch
            {
                0 => MasterWrite.Rest("networks", $"{t}:n{i}",
                    $$"""{"tenantName":"{{t}}","networkName":"n{{i}}","encap":"{{(i % 10 == 0 ? "vxlan" : "vlan")}}","subnet":"10.{{20 + i / 250}}.{{i % 250}}.0/24","gateway":"10.{{20 + i / 250}}.{{i % 250}}.1"}"""),
                1 => MasterWrite.Rest("endpointGroups", $"{t}:g{i}", $$"""{"tenantName":"{{t}}","groupName":"g{{i}}","networkName":"base","policies":["p"]}"""),
                4 => MasterWrite.ForEndpoint($"ep{i}", new EndpointSpec(t, "eps", null, $"c{i}", $"host{i % 3}")),
                _ => MasterWrite.Rest("rules", $"{t}:p:r{i}",
                    $$"""{"tenantName":"{{t}}","policyName":"p","ruleId":"r{{i}}","direction":"in","priority":{{1 + i % 10}},"protocol":"tcp","port":{{1000 + i}},"action":"allow"}"""),
            });
        }
        return writes;
    }

    [Fact]
    public async Task A_master_killed_under_1000_writes_loses_nothing_acknowledged_and_the_whole_cluster_restarts_intact()
    {
        await using var cluster = await MasterCluster.StartAsync(3);
        using var clients = new MasterClients(cluster.Masters);
        for (var t = 0; t < TenantCount; t++)
        {
            await clients.PostOkAsync("tenants", $"t{t}", $$"""{"tenantName":"t{{t}}"}""");
            await clients.PostOkAsync("networks", $"t{t}:base", $$"""{"tenantName":"t{{t}}","networkName":"base","encap":"vxlan","subnet":"10.{{200 + t}}.0.0/16","gateway":"10.{{200 + t}}.0.1"}""");
            await clients.PostOkAsync("networks", $"t{t}:eps", $$"""{"tenantName":"t{{t}}","networkName":"eps","encap":"vxlan","subnet":"10.{{210 + t}}.0.0/22","gateway":"10.{{210 + t}}.0.1"}""");
            await clients.PostOkAsync("policys", $"t{t}:p", $$"""{"tenantName":"t{{t}}","policyName":"p"}""");
        }
        await using var endpoints = await EndpointClientNode.JoinAsync(cluster.Seeds);

        var homes = await TenantHomesAsync(clients);
        // The oldest master also runs the shard coordinators and the state feed: the hardest one to lose.
        var victim = homes.ContainsValue(cluster.Masters[0].Seed) ? cluster.Masters[0]
            : cluster.Masters.OrderByDescending(m => homes.Values.Count(h => h == m.Seed)).First();
        var victimTenants = homes.Where(h => h.Value == victim.Seed).Select(h => h.Key).ToList();
        Assert.NotEmpty(victimTenants);
        output.WriteLine($"killing master {victim.Index} ({victim.Seed}), home of {string.Join(", ", victimTenants)}");

        var writes = Load();
        var completed = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gate = new SemaphoreSlim(InFlight);
        var running = writes.Select(async (write, i) =>
        {
            await gate.WaitAsync();
            try
            {
                await clients.RunAsync(write, i % cluster.Masters.Count, endpoints);
            }
            finally
            {
                gate.Release();
                if (Interlocked.Increment(ref completed) == KillAfter) killed.TrySetResult();
            }
        }).ToList();
        await killed.Task;
        await victim.KillHardAsync();
        await Task.WhenAll(running);

        var acknowledged = writes.Where(w => w.Acknowledged).ToList();
        output.WriteLine($"{acknowledged.Count} of {writes.Count} writes acknowledged; refused or unanswered:");
        foreach (var group in writes.Where(w => !w.Acknowledged).GroupBy(w => Shorten(w.Outcome)))
            output.WriteLine($"  {group.Count()} x {group.Key}");
        // Most writes must have gone through, or the test proves nothing.
        Assert.True(acknowledged.Count > WriteCount * 0.7, $"only {acknowledged.Count} writes acknowledged");

        await cluster.WaitForMastersUpAsync(2, TimeSpan.FromSeconds(60));
        // The nodes inspect lists members as gossip sees them: the two survivors up, the dead one gone, the agent-role client still there.
        var nodes = (await clients.GetJsonAsync("/api/v1/inspect/nodes/", 1, TimeSpan.FromSeconds(10))).AsArray();
        var masterNodes = nodes.Where(n => n!["roles"]!.AsArray().Any(r => r!.GetValue<string>() == "master")).ToList();
        Assert.Equal(2, masterNodes.Count);
        Assert.All(masterNodes, n => Assert.Equal("up", n!["status"]!.GetValue<string>()));
        Assert.DoesNotContain(masterNodes, n => n!["address"]!.GetValue<string>() == victim.Seed);
        Assert.Contains(nodes, n => n!["roles"]!.AsArray().Any(r => r!.GetValue<string>() == "agent"));
        var before = await CheckEverythingAsync(clients, writes);
        var homesAfter = await TenantHomesAsync(clients);
        foreach (var tenant in victimTenants)
            Assert.NotEqual(victim.Seed, homesAfter[tenant]);

        // The whole cluster goes down and comes back: everything acknowledged is still there, with the same tags and addresses.
        foreach (var master in cluster.Masters) await master.StopAsync();
        await Task.WhenAll(cluster.Masters.Select(m => m.StartAsync()));
        await cluster.WaitForMastersUpAsync(3, TimeSpan.FromSeconds(60));
        var after = await CheckEverythingAsync(clients, writes);
        Assert.Equal(before, after);
    }

    /// <summary>Tenant → the cluster address of the master its entity runs on.</summary>
    private static async Task<Dictionary<string, string>> TenantHomesAsync(MasterClients clients)
    {
        var homes = new Dictionary<string, string>();
        for (var t = 0; t < TenantCount; t++) homes[$"t{t}"] = await clients.ServedByAsync($"t{t}", t);
        return homes;
    }

    /// <summary>
    /// Every acknowledged write is there (endpoints with the address they were given), every network key
    /// listed once, tags and addresses unique. Returns the tags and addresses, to compare across a restart.
    /// </summary>
    private async Task<SortedDictionary<string, string>> CheckEverythingAsync(MasterClients clients, IReadOnlyList<MasterWrite> writes)
    {
        var patience = TimeSpan.FromSeconds(30);
        var i = 0;
        foreach (var write in writes.Where(w => w.Acknowledged))
        {
            if (write.Endpoint is not null)
            {
                var endpoint = await clients.GetJsonAsync($"/api/v1/inspect/endpoints/{write.Key}/", i++, patience);
                Assert.Contains(write.Address!, endpoint.ToJsonString());
            }
            else
            {
                await clients.GetJsonAsync($"/api/v1/{write.Plural}/{write.Key}/", i++, patience);
            }
        }

        var networks = (await clients.GetJsonAsync("/api/v1/networks/", 0, patience)).AsArray().Select(n => n!["key"]!.GetValue<string>()).ToList();
        Assert.Equal(networks.Count, networks.Distinct().Count());
        var rules = (await clients.GetJsonAsync("/api/v1/rules/", 1, patience)).AsArray().Select(n => n!["key"]!.GetValue<string>()).ToList();
        Assert.Equal(rules.Count, rules.Distinct().Count());

        var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var tags = new Dictionary<string, string>();
        foreach (var key in networks)
        {
            var oper = (await clients.GetJsonAsync($"/api/v1/inspect/networks/{key}/", i++, patience))["Oper"]!;
            var config = await clients.GetJsonAsync($"/api/v1/networks/{key}/", i++, patience);
            var encap = config["encap"]!.GetValue<string>();
            // A VLAN network holds its VLAN; a VXLAN network its VNI and a host-local VLAN of the VXLAN range's own.
            string[] held = encap == "vlan"
                ? [$"vlan {oper["pktTag"]!.GetValue<int>()}"]
                : [$"vni {oper["externalPktTag"]!.GetValue<int>()}", $"local-vlan {oper["pktTag"]!.GetValue<int>()}"];
            foreach (var tag in held)
            {
                Assert.False(tags.TryGetValue(tag, out var holder), $"{tag} is held by {holder} and {key}");
                tags[tag] = key;
            }
            seen[key] = string.Join(", ", held);
            var listed = oper["endpoints"]?.AsArray() ?? [];
            var addresses = listed.Select(e => Address(e!)).ToList();
            Assert.Equal(addresses.Count, addresses.Distinct().Count());
            foreach (var endpoint in listed) seen[$"{key} {endpoint!["endpointID"]!.GetValue<string>()}"] = Address(endpoint);
        }
        foreach (var write in writes.Where(w => w.Acknowledged && w.Endpoint is not null))
            Assert.Contains(write.Address!, seen.Values);
        output.WriteLine($"checked: {networks.Count} networks, {rules.Count} rules, {seen.Count - networks.Count} endpoints, tags and addresses unique");
        return seen;
    }

    private static string Address(JsonNode endpoint) => endpoint["ipAddress"]![0]!.GetValue<string>();

    private static string Shorten(string outcome) => outcome.Length > 140 ? outcome[..140] : outcome;
}
