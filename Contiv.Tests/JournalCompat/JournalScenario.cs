using Contiv.Messages.Endpoints;
using Contiv.Tests.ClusterTests;
using Contiv.Tests.Support;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// The REST calls that made Golden/journal/contiv.db: one or more of every object kind, updates, and a
/// delete of each kind, so the journal holds every event kind the REST API can cause. With
/// snapshot-every = 5 the tenant, global and pool entities have snapshots and events after them.
/// </summary>
public static class JournalScenario
{
    public static async Task Run(RestClient rest)
    {
        await Ok(rest.Post("globals", "global", new
        {
            name = "global", networkInfraType = "default", vlans = "1-4094", vxlans = "1-10000", fwdMode = "bridge",
            arpMode = "proxy", pvtSubnet = "172.19.0.0/16",
        }));
        await Ok(rest.Post("tenants", "jc", new { tenantName = "jc" }));
        await Ok(rest.Post("tenants", "jcgone", new { tenantName = "jcgone" }));

        await Ok(rest.Post("networks", "jc:vlan1", new
        {
            tenantName = "jc", networkName = "vlan1", encap = "vlan", pktTag = 100, subnet = "10.10.0.0/24", gateway = "10.10.0.1",
        }));
        await Ok(rest.Post("networks", "jc:vx1", new
        {
            tenantName = "jc", networkName = "vx1", encap = "vxlan", subnet = "10.12.0.0/16", gateway = "10.12.0.1",
            ipv6Subnet = "2016:617::/120", ipv6Gateway = "2016:617::1",
        }));
        await Ok(rest.Post("networks", "jc:vx2", new
        {
            tenantName = "jc", networkName = "vx2", encap = "vxlan", pktTag = 5000, subnet = "10.13.0.0/24", gateway = "10.13.0.1",
        }));
        await Ok(rest.Post("networks", "default:dnet", new
        {
            tenantName = "default", networkName = "dnet", encap = "vxlan", subnet = "10.14.0.0/24", gateway = "10.14.0.1",
        }));
        await Ok(rest.Post("networks", "jc:gone", new
        {
            tenantName = "jc", networkName = "gone", encap = "vlan", subnet = "10.15.0.0/24", gateway = "10.15.0.1",
        }));

        await Ok(rest.Post("netprofiles", "jc:np1", new { tenantName = "jc", profileName = "np1", bandwidth = "10Mbps", DSCP = 10, burst = 100 }));
        await Ok(rest.Post("netprofiles", "jc:npgone", new { tenantName = "jc", profileName = "npgone", bandwidth = "1Mbps", DSCP = 1, burst = 10 }));
        await Ok(rest.Post("policys", "jc:p1", new { tenantName = "jc", policyName = "p1" }));
        await Ok(rest.Post("policys", "jc:p2", new { tenantName = "jc", policyName = "p2" }));
        await Ok(rest.Post("policys", "jc:pgone", new { tenantName = "jc", policyName = "pgone" }));
        await Ok(rest.Post("extContractsGroups", "jc:c1", new
        {
            tenantName = "jc", contractsGroupName = "c1", contractsType = "provided", contracts = new[] { "uni/tn-jc/brc-a" },
        }));
        await Ok(rest.Post("extContractsGroups", "jc:cgone", new
        {
            tenantName = "jc", contractsGroupName = "cgone", contractsType = "consumed", contracts = new[] { "uni/tn-jc/brc-b" },
        }));

        await Ok(rest.Post("endpointGroups", "jc:web", new
        {
            tenantName = "jc", groupName = "web", networkName = "vlan1", policies = new[] { "p1" }, netProfile = "np1",
            extContractsGrps = new[] { "c1" },
        }));
        await Ok(rest.Post("endpointGroups", "jc:db", new
        {
            tenantName = "jc", groupName = "db", networkName = "vx1", ipPool = "10.12.1.1-10.12.1.100", policies = new[] { "p2" },
        }));
        await Ok(rest.Post("endpointGroups", "jc:ggone", new { tenantName = "jc", groupName = "ggone", networkName = "vx2" }));

        await Ok(rest.Post("rules", "jc:p1:r1", new
        {
            tenantName = "jc", policyName = "p1", ruleId = "r1", direction = "in", priority = 10, protocol = "tcp", port = 80,
            action = "allow", fromEndpointGroup = "db",
        }));
        await Ok(rest.Post("rules", "jc:p1:r2", new { tenantName = "jc", policyName = "p1", ruleId = "r2", direction = "in", priority = 1, action = "deny" }));
        await Ok(rest.Post("rules", "jc:p2:r1", new
        {
            tenantName = "jc", policyName = "p2", ruleId = "r1", direction = "out", priority = 5, protocol = "udp", port = 53,
            action = "allow", toNetwork = "vx2",
        }));
        await Ok(rest.Post("rules", "jc:pgone:r1", new
        {
            tenantName = "jc", policyName = "pgone", ruleId = "r1", direction = "in", priority = 3, protocol = "icmp", action = "deny",
        }));

        await Ok(rest.Post("appProfiles", "jc:app1", new { tenantName = "jc", appProfileName = "app1", endpointGroups = new[] { "web", "db" } }));
        await Ok(rest.Post("appProfiles", "jc:appgone", new { tenantName = "jc", appProfileName = "appgone", endpointGroups = new[] { "ggone" } }));

        // svc1 gets its VIP from the pool; svc2 asks for one.
        await Ok(rest.Post("serviceLBs", "jc:svc1", new
        {
            tenantName = "jc", serviceName = "svc1", networkName = "vx1", selectors = new[] { "app=web" }, ports = new[] { "80:8080:TCP" },
        }));
        await Ok(rest.Post("serviceLBs", "jc:svc2", new
        {
            tenantName = "jc", serviceName = "svc2", networkName = "vlan1", ipAddress = "10.10.0.50",
            selectors = new[] { "app=db", "tier=be" }, ports = new[] { "5432:5432:TCP" },
        }));
        await Ok(rest.Post("serviceLBs", "jc:svcgone", new
        {
            tenantName = "jc", serviceName = "svcgone", networkName = "vx1", selectors = new[] { "app=x" }, ports = new[] { "81:8081:TCP" },
        }));

        await Ok(rest.Post("Bgps", "host1", """{"hostname":"host1","routerip":"50.1.1.1/24","as":"65002","neighbor-as":"500","neighbor":"50.1.1.2"}"""));
        await Ok(rest.Post("Bgps", "hostgone", """{"hostname":"hostgone","routerip":"50.1.2.1/24","as":"65003","neighbor-as":"500","neighbor":"50.1.2.2"}"""));

        // Updates are saved events over earlier ones.
        await Ok(rest.Post("netprofiles", "jc:np1", new { tenantName = "jc", profileName = "np1", bandwidth = "20Mbps", DSCP = 12, burst = 200 }));
        await Ok(rest.Post("endpointGroups", "jc:web", new
        {
            tenantName = "jc", groupName = "web", networkName = "vlan1", policies = new[] { "p1", "p2" }, netProfile = "np1",
            extContractsGrps = new[] { "c1" },
        }));

        // A delete of each kind (a policy's delete takes its rules with it).
        await Ok(rest.Delete("rules", "jc:p1:r2"));
        await Ok(rest.Delete("serviceLBs", "jc:svcgone"));
        await Ok(rest.Delete("appProfiles", "jc:appgone"));
        await Ok(rest.Delete("endpointGroups", "jc:ggone"));
        await Ok(rest.Delete("extContractsGroups", "jc:cgone"));
        await Ok(rest.Delete("netprofiles", "jc:npgone"));
        await Ok(rest.Delete("policys", "jc:pgone"));
        await Ok(rest.Delete("networks", "jc:gone"));
        await Ok(rest.Delete("Bgps", "hostgone"));
        await Ok(rest.Delete("tenants", "jcgone"));

        // Last, so that the tenant and vx1's pool hold events after their newest snapshot, not only the snapshot.
        await Ok(rest.Post("serviceLBs", "jc:svc3", new
        {
            tenantName = "jc", serviceName = "svc3", networkName = "vx1", selectors = new[] { "app=late" }, ports = new[] { "82:8082:UDP" },
        }));
        await Ok(rest.Post("policys", "jc:p3", new { tenantName = "jc", policyName = "p3" }));
    }

    /// <summary>The endpoints <see cref="RunEndpoints"/> leaves, which the recorded state inspects.</summary>
    public static readonly IReadOnlyList<string> EndpointIds = ["jc-ep-web", "jc-ep-db", "jc-ep-ipam", "jc-ep-default", "jc-ep-late"];

    /// <summary>
    /// Endpoints as an agent makes them, through the endpoint shard region: addressed from a network's pool,
    /// from a group's ipPool, a preferred address, one removed, one refused (no such network).
    /// </summary>
    public static async Task RunEndpoints(EndpointClientNode agent)
    {
        var timeout = TimeSpan.FromSeconds(20);
        await Created(agent.CreateAsync("jc-ep-web", new EndpointSpec("jc", "vlan1", "web", "c0ffee01", "host1", "web-1", "app=web"), timeout));
        await Created(agent.CreateAsync("jc-ep-db", new EndpointSpec("jc", "vx1", "db", "c0ffee02", "host1", "db-1", "app=db"), timeout));
        await Created(agent.CreateAsync("jc-ep-ipam", new EndpointSpec("jc", "vx1", null, "c0ffee03", "host2", PreferredIp: "10.12.9.9", AddressFromIpam: true), timeout));
        await Created(agent.CreateAsync("jc-ep-default", new EndpointSpec("default", "dnet", null, "c0ffee04", "host2", "plain-1"), timeout));
        await Created(agent.CreateAsync("jc-ep-gone", new EndpointSpec("jc", "vx1", "db", "c0ffee05", "host1", "db-2"), timeout));
        var removed = await agent.RemoveAsync("jc-ep-gone", timeout);
        if (removed is not EndpointRemoved) throw new InvalidOperationException($"removing jc-ep-gone: {removed}");
        var refused = await agent.CreateAsync("jc-ep-refused", new EndpointSpec("jc", "nosuchnet", null, "c0ffee06", "host1"), timeout);
        if (refused is not Contiv.Messages.Api.ApiError) throw new InvalidOperationException($"an endpoint on no network was not refused: {refused}");
        // Last, so that vx1's pool holds an allocation after its newest snapshot.
        await Created(agent.CreateAsync("jc-ep-late", new EndpointSpec("jc", "vx1", "db", "c0ffee07", "host2", "db-3"), timeout));
    }

    private static async Task Created(Task<object?> create)
    {
        var answer = await create;
        if (answer is not EndpointInfo) throw new InvalidOperationException($"the scenario's endpoint was not created: {answer ?? "no answer"}");
    }

    private static async Task Ok(Task<RestReply> call)
    {
        var reply = await call;
        if (!reply.Ok) throw new InvalidOperationException($"the scenario's call failed: {reply}");
    }
}
