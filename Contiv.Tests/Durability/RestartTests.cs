using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.Durability;

/// <summary>
/// A clean restart (SIGTERM, then a new master on the same data directory) gives back exactly
/// the state that was there: every object's GET and inspect, every tag and VIP; and the
/// allocators carry on from where they were.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class RestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(150);

    /// <summary>Every kind of object the test creates, with the keys it must find again.</summary>
    private static readonly string[] Plurals =
        ["tenants", "networks", "endpointGroups", "policys", "rules", "globals", "netprofiles", "appProfiles", "serviceLBs"];

    [Fact]
    public Task EveryObjectTagAndVipSurvivesARestart() => Run().WaitAsync(TestBound);

    private async Task Run()
    {
        var dataDir = MasterProcess.NewDataDir();
        try
        {
            Dictionary<string, Snapshot> before;
            await using (var first = await LiveMaster.StartAsync(dataDir))
            {
                await Build(first.Rest);
                await CheckAsCreated(first.Rest);
                before = await TakeSnapshot(first.Rest);
                output.WriteLine($"{before.Count} objects before the restart");

                await first.Process.StopAsync();
                Assert.True(first.Process.HasExited, "the master did not exit on SIGTERM");
                Assert.True(first.Process.ExitCode == 0,
                    $"the master exited with {first.Process.ExitCode} on SIGTERM:\n{first.Tail()}");
            }

            await using var second = await LiveMaster.StartAsync(dataDir);
            var after = await TakeSnapshot(second.Rest);

            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            foreach (var (id, was) in before)
            {
                JsonKit.AssertSame(was.Get, after[id].Get, $"GET {id} after the restart");
                JsonKit.AssertSame(was.Inspect, after[id].Inspect, $"inspect {id} after the restart");
            }

            // Deleted objects stay deleted.
            Assert.Equal(HttpStatusCode.NotFound, (await second.Rest.Get("networks", "rt:gone")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await second.Rest.Get("policys", "rt:ptmp")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await second.Rest.Get("rules", "rt:ptmp:r1")).Status);

            await AllocatorsCarryOn(second.Rest, before);
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>One of each kind, references between them, an update and deletes.</summary>
    private static async Task Build(RestClient rest)
    {
        await Ok(rest.Post("tenants", "rt", new { tenantName = "rt" }));

        await Ok(rest.Post("networks", "rt:vlan1", new
        {
            tenantName = "rt", networkName = "vlan1", encap = "vlan", pktTag = 100, subnet = "10.10.0.0/24", gateway = "10.10.0.1",
        }));
        await Ok(rest.Post("networks", "rt:vlan2", new
        {
            tenantName = "rt", networkName = "vlan2", encap = "vlan", subnet = "10.11.0.0/24", gateway = "10.11.0.1",
        }));
        await Ok(rest.Post("networks", "rt:vx1", new
        {
            tenantName = "rt", networkName = "vx1", encap = "vxlan", subnet = "10.12.0.0/16", gateway = "10.12.0.1",
        }));
        await Ok(rest.Post("networks", "rt:vx2", new
        {
            tenantName = "rt", networkName = "vx2", encap = "vxlan", pktTag = 5000, subnet = "10.13.0.0/24", gateway = "10.13.0.1",
        }));
        await Ok(rest.Post("networks", "default:dnet", new
        {
            tenantName = "default", networkName = "dnet", encap = "vxlan", subnet = "10.14.0.0/24", gateway = "10.14.0.1",
        }));
        await Ok(rest.Post("networks", "rt:gone", new
        {
            tenantName = "rt", networkName = "gone", encap = "vlan", subnet = "10.15.0.0/24", gateway = "10.15.0.1",
        }));

        await Ok(rest.Post("netprofiles", "rt:np1", new { tenantName = "rt", profileName = "np1", bandwidth = "10Mbps", DSCP = 10, burst = 100 }));
        await Ok(rest.Post("policys", "rt:p1", new { tenantName = "rt", policyName = "p1" }));
        await Ok(rest.Post("policys", "rt:p2", new { tenantName = "rt", policyName = "p2" }));
        await Ok(rest.Post("policys", "rt:ptmp", new { tenantName = "rt", policyName = "ptmp" }));

        await Ok(rest.Post("endpointGroups", "rt:web", new
        {
            tenantName = "rt", groupName = "web", networkName = "vlan1", policies = new[] { "p1" }, netProfile = "np1",
        }));
        await Ok(rest.Post("endpointGroups", "rt:db", new
        {
            tenantName = "rt", groupName = "db", networkName = "vx1", ipPool = "10.12.1.1-10.12.1.100", policies = new[] { "p2" },
        }));

        await Ok(rest.Post("rules", "rt:p1:r1", new
        {
            tenantName = "rt", policyName = "p1", ruleId = "r1", direction = "in", priority = 10, protocol = "tcp", port = 80,
            action = "allow", fromEndpointGroup = "db",
        }));
        await Ok(rest.Post("rules", "rt:p1:r2", new
        {
            tenantName = "rt", policyName = "p1", ruleId = "r2", direction = "in", priority = 1, action = "deny",
        }));
        await Ok(rest.Post("rules", "rt:p2:r1", new
        {
            tenantName = "rt", policyName = "p2", ruleId = "r1", direction = "out", priority = 5, protocol = "udp", port = 53,
            action = "allow", toNetwork = "vx2",
        }));
        await Ok(rest.Post("rules", "rt:p2:r2", new
        {
            tenantName = "rt", policyName = "p2", ruleId = "r2", direction = "in", priority = 20, protocol = "tcp", port = 443,
            action = "allow", fromNetwork = "vlan2",
        }));
        await Ok(rest.Post("rules", "rt:ptmp:r1", new
        {
            tenantName = "rt", policyName = "ptmp", ruleId = "r1", direction = "in", priority = 3, protocol = "icmp", action = "deny",
        }));

        await Ok(rest.Post("appProfiles", "rt:app1", new { tenantName = "rt", appProfileName = "app1", endpointGroups = new[] { "web", "db" } }));

        await Ok(rest.Post("serviceLBs", "rt:svc1", new
        {
            tenantName = "rt", serviceName = "svc1", networkName = "vx1", selectors = new[] { "app=web" }, ports = new[] { "80:8080:TCP" },
        }));
        await Ok(rest.Post("serviceLBs", "rt:svc2", new
        {
            tenantName = "rt", serviceName = "svc2", networkName = "vlan1", ipAddress = "10.10.0.50",
            selectors = new[] { "app=db", "tier=be" }, ports = new[] { "5432:5432:TCP" },
        }));

        // Updates must survive as updates (policies, netprofile and contract groups may change on a group).
        await Ok(rest.Post("netprofiles", "rt:np1", new { tenantName = "rt", profileName = "np1", bandwidth = "20Mbps", DSCP = 12, burst = 200 }));
        await Ok(rest.Post("endpointGroups", "rt:web", new
        {
            tenantName = "rt", groupName = "web", networkName = "vlan1", policies = new[] { "p1", "p2" }, netProfile = "np1",
        }));

        // Deletes must survive as deletes; deleting a policy deletes its rules.
        await Ok(rest.Delete("networks", "rt:gone"));
        await Ok(rest.Delete("policys", "rt:ptmp"));
    }

    /// <summary>The state as created, before anything is restarted (so a failure here is not blamed on durability).</summary>
    private static async Task CheckAsCreated(RestClient rest)
    {
        var vlan1 = NetworkTags.From("rt:vlan1", await Invariants.Inspect(rest, "networks", "rt:vlan1"));
        Assert.Equal(100, vlan1.PktTag);
        var vx2 = NetworkTags.From("rt:vx2", await Invariants.Inspect(rest, "networks", "rt:vx2"));
        Assert.Equal(5000, vx2.ExternalPktTag);

        var svc2 = await Invariants.Inspect(rest, "serviceLBs", "rt:svc2");
        Assert.Equal("10.10.0.50", JsonKit.Str(svc2["Oper"], "serviceVip"));

        var networks = await Invariants.AllNetworks(rest);
        Invariants.AssertTagsComplete(networks);
        Invariants.AssertVipsComplete(await Invariants.AllServiceVips(rest), networks);

        var netprofile = JsonKit.ParseObject(await rest.Get("netprofiles", "rt:np1"), "GET rt:np1");
        Assert.Equal("20Mbps", JsonKit.Str(netprofile, "bandwidth"));
        var rule = JsonKit.ParseObject(await rest.Get("rules", "rt:p2:r2"), "GET rt:p2:r2");
        Assert.Equal("10.11.0.0/24", JsonKit.Str(rule, "fromIpAddress"));

        Assert.Equal(HttpStatusCode.NotFound, (await rest.Get("rules", "rt:ptmp:r1")).Status);
    }

    private sealed record Snapshot(JsonNode Get, JsonNode Inspect);

    /// <summary>GET and inspect of every object of every kind, by "plural/key".</summary>
    private static async Task<Dictionary<string, Snapshot>> TakeSnapshot(RestClient rest)
    {
        var result = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
        foreach (var plural in Plurals)
        {
            foreach (var item in await Invariants.List(rest, plural))
            {
                var key = JsonKit.Str(item, "key");
                Assert.False(string.IsNullOrEmpty(key), $"a listed {plural} object has no key: {item?.ToJsonString()}");
                var get = JsonKit.ParseObject(await rest.Get(plural, key), $"GET {plural}/{key}");
                JsonKit.AssertSame(item, get, $"list entry vs GET of {plural}/{key}");
                var inspect = await Invariants.Inspect(rest, plural, key);
                // Which master serves a tenant names its cluster address, a new port after each start: not state.
                (inspect["Oper"] as System.Text.Json.Nodes.JsonObject)?.Remove("servedBy");
                result.Add($"{plural}/{key}", new Snapshot(get, inspect));
            }
        }

        string[] expected =
        [
            "tenants/rt", "tenants/default", "globals/global", "networks/rt:vlan1", "networks/rt:vlan2", "networks/rt:vx1",
            "networks/rt:vx2", "networks/default:dnet", "netprofiles/rt:np1", "policys/rt:p1", "policys/rt:p2",
            "endpointGroups/rt:web", "endpointGroups/rt:db", "rules/rt:p1:r1", "rules/rt:p1:r2", "rules/rt:p2:r1",
            "rules/rt:p2:r2", "appProfiles/rt:app1", "serviceLBs/rt:svc1", "serviceLBs/rt:svc2",
        ];
        foreach (var id in expected) Assert.True(result.ContainsKey(id), $"{id} is not listed");
        foreach (var id in new[] { "networks/rt:gone", "policys/rt:ptmp", "rules/rt:ptmp:r1" })
            Assert.False(result.ContainsKey(id), $"{id} is listed after its delete");
        return result;
    }

    /// <summary>After the restart new networks and VIPs are fresh: nothing already owned is handed out again.</summary>
    private async Task AllocatorsCarryOn(RestClient rest, Dictionary<string, Snapshot> before)
    {
        // The explicit tag 100 is still owned by rt:vlan1.
        var clash = await rest.Post("networks", "rt:vlan100", new
        {
            tenantName = "rt", networkName = "vlan100", encap = "vlan", pktTag = 100, subnet = "10.16.0.0/24", gateway = "10.16.0.1",
        });
        Assert.True(clash.Status == HttpStatusCode.Conflict, $"a second network with vlan 100 after the restart: {clash}");
        Assert.Equal(HttpStatusCode.NotFound, (await rest.Get("networks", "rt:vlan100")).Status);

        await Ok(rest.Post("networks", "rt:vlan3", new
        {
            tenantName = "rt", networkName = "vlan3", encap = "vlan", subnet = "10.17.0.0/24", gateway = "10.17.0.1",
        }));
        await Ok(rest.Post("networks", "rt:vx3", new
        {
            tenantName = "rt", networkName = "vx3", encap = "vxlan", subnet = "10.18.0.0/24", gateway = "10.18.0.1",
        }));
        await Ok(rest.Post("networks", "default:dnet2", new
        {
            tenantName = "default", networkName = "dnet2", encap = "vxlan", subnet = "10.19.0.0/24", gateway = "10.19.0.1",
        }));
        await Ok(rest.Post("serviceLBs", "rt:svc3", new
        {
            tenantName = "rt", serviceName = "svc3", networkName = "vx1", selectors = new[] { "app=x" }, ports = new[] { "81:8081:TCP" },
        }));
        await Ok(rest.Post("serviceLBs", "rt:svc4", new
        {
            tenantName = "rt", serviceName = "svc4", networkName = "vlan1", selectors = new[] { "app=y" }, ports = new[] { "82:8082:UDP" },
        }));

        var networks = await Invariants.AllNetworks(rest);
        Invariants.AssertTagsComplete(networks);
        var services = await Invariants.AllServiceVips(rest);
        Invariants.AssertVipsComplete(services, networks);

        // The old networks kept their tags (AssertTagsComplete then proves the new ones are distinct).
        foreach (var n in networks.Where(n => before.ContainsKey($"networks/{n.Key}")))
            Assert.Equal(NetworkTags.From(n.Key, before[$"networks/{n.Key}"].Inspect), n);
        foreach (var s in services.Where(s => before.ContainsKey($"serviceLBs/{s.Key}")))
            Assert.Equal(JsonKit.Str(before[$"serviceLBs/{s.Key}"].Inspect["Oper"], "serviceVip"), s.Vip);

        output.WriteLine("networks after the restart: " + string.Join(", ", networks.Select(n => $"{n.Key}={n.PktTag}/{n.ExternalPktTag}")));
        output.WriteLine("VIPs after the restart: " + string.Join(", ", services.Select(s => $"{s.Key}={s.Vip}")));
    }

    private static async Task Ok(Task<RestReply> call, [CallerArgumentExpression(nameof(call))] string what = "")
    {
        var reply = await call;
        Assert.True(reply.Ok, $"expected success of {what}: {reply}");
    }
}
