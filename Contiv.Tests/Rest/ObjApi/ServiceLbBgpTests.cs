using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>Ports of TestServicePreferredIP and TestBgp (service provider updates need host agents: not here).</summary>
[Collection("objapi")]
public sealed class ServiceLbBgpTests(ObjApiMaster master) : ObjApiTestBase(master)
{
    private const string D = "default";

    private static readonly string[] Labels = ["key1=value1", "key2=value2"];
    private static readonly string[] Ports = ["80:8080:TCP"];

    /// <summary>TestServicePreferredIP: a service LB gets the preferred IP it asks for, from its network.</summary>
    [Fact]
    public async Task ServicePreferredIP()
    {
        await ResetGlobalToDefaults();

        await CreateNetwork("yellow", D, "vxlan", "10.1.1.0/24", "10.1.1.254");
        await CheckServiceCreate(D, "yellow", "redis", Ports, Labels, "10.1.1.3");
        await VerifyServiceCreate(D, "yellow", "redis", Ports, Labels, "10.1.1.3");

        // the service address is taken from the network (listed with the gateway; vxlan: host-local vlan 1) ...
        await CheckInspectNetwork(false, D, "yellow", "10.1.1.3, 10.1.1.254", 1, null);
        // ... and the network cannot go while the service uses it
        await CheckDeleteNetwork(true, D, "yellow", Conflict, ["yellow"]);

        await CheckServiceDelete(D, "redis");
        await VerifyServiceDelete(D, "redis");
        await CheckInspectNetwork(false, D, "yellow", "10.1.1.254", 1, null);
        await DeleteNetwork("yellow", D);
    }

    /// <summary>TestBgp: create, get and inspect a Bgp object (and delete it again).</summary>
    [Fact]
    public async Task Bgp()
    {
        await ResetGlobalToDefaults();

        var reply = await Post("Bgps", "hostA", Body(("as", "65001"), ("hostname", "hostA"), ("neighbor", "16.1.2.3"),
            ("neighbor-as", "65002"), ("routerip", "65.1.1.1/24")));
        var echo = ExpectOk(reply, "create bgp hostA");
        CheckBgp(echo, "create bgp hostA: echo");

        var got = await GetOk("Bgps", "hostA");
        CheckBgp(got, "get bgp hostA");

        var (config, _) = await InspectOk("Bgps", "hostA");
        CheckBgp(config, "inspect bgp hostA: Config");

        // The original never removed it; it is removed here so that later forwarding-mode changes are not blocked.
        ExpectDeleted(await Delete("Bgps", "hostA"), "hostA", "delete bgp hostA");
        ExpectNotFound(await Get("Bgps", "hostA"), "get bgp hostA after delete");
    }

    private static void CheckBgp(System.Text.Json.Nodes.JsonNode? obj, string what)
    {
        Eq("hostA", Str(obj, "key"), $"{what} key");
        Eq("65001", Str(obj, "as"), $"{what} as");
        Eq("hostA", Str(obj, "hostname"), $"{what} hostname");
        Eq("16.1.2.3", Str(obj, "neighbor"), $"{what} neighbor");
        Eq("65002", Str(obj, "neighbor-as"), $"{what} neighbor-as");
        Eq("65.1.1.1/24", Str(obj, "routerip"), $"{what} routerip");
    }

    // ------------------------------------------------------------------ helpers of the original

    /// <summary>createNetwork(t, network, tenant, encap, subnet, gw)</summary>
    private async Task CreateNetwork(string network, string tenant, string encap, string subnet, string gateway)
    {
        var key = $"{tenant}:{network}";
        ExpectOk(await Post("networks", key, NetworkBody(tenant, network, "", encap, subnet, gateway, 0, "", "", "")),
            $"create network {key}");
    }

    /// <summary>deleteNetwork(t, network, tenant)</summary>
    private async Task DeleteNetwork(string network, string tenant)
    {
        var key = $"{tenant}:{network}";
        ExpectDeleted(await Delete("networks", key), key, $"delete network {key}");
    }

    /// <summary>checkServiceCreate</summary>
    private async Task CheckServiceCreate(string tenant, string network, string service, string[] ports, string[] labels,
        string preferredIP)
    {
        var key = $"{tenant}:{service}";
        var what = $"create serviceLB {key}";
        var echo = ExpectOk(await Post("serviceLBs", key, Body(("tenantName", tenant), ("networkName", network),
            ("serviceName", service), ("ipAddress", preferredIP), ("selectors", labels), ("ports", ports))), what);
        Eq(key, Str(echo, "key"), $"{what}: echo key");
        Eq(tenant, LinkKey(echo, "Tenant"), $"{what}: echo links.Tenant.key");
        Eq($"{tenant}:{network}", LinkKey(echo, "Network"), $"{what}: echo links.Network.key");
    }

    /// <summary>verifyServiceCreate: config as sent, and an allocated (preferred) service address in Oper.serviceVip.</summary>
    private async Task VerifyServiceCreate(string tenant, string network, string service, string[] ports, string[] labels,
        string preferredIP)
    {
        var key = $"{tenant}:{service}";
        var got = await GetOk("serviceLBs", key);
        Eq(network, Str(got, "networkName"), $"get serviceLB {key}: networkName");
        Eq(service, Str(got, "serviceName"), $"get serviceLB {key}: serviceName");
        SeqEq(labels, List(got, "selectors"), $"get serviceLB {key}: selectors");
        SeqEq(ports, List(got, "ports"), $"get serviceLB {key}: ports");

        var (_, oper) = await InspectOk("serviceLBs", key);
        var vip = Str(oper, "serviceVip");
        if (vip.Length == 0) Assert.Fail($"inspect serviceLB {key}: no service address allocated (Oper.serviceVip)");
        if (preferredIP.Length > 0) Eq(preferredIP, vip, $"inspect serviceLB {key}: Oper.serviceVip");

        Contains(LinkSet(await GetOk("networks", $"{tenant}:{network}"), "Servicelbs"), key,
            $"network {tenant}:{network} link-sets.Servicelbs");
        Contains(LinkSet(await GetOk("tenants", tenant), "Servicelbs"), key, $"tenant {tenant} link-sets.Servicelbs");
    }

    /// <summary>checkServiceDelete</summary>
    private async Task CheckServiceDelete(string tenant, string service)
    {
        var key = $"{tenant}:{service}";
        ExpectDeleted(await Delete("serviceLBs", key), key, $"delete serviceLB {key}");
    }

    /// <summary>verifyServiceDelete: the service and its state are gone.</summary>
    private async Task VerifyServiceDelete(string tenant, string service)
    {
        var key = $"{tenant}:{service}";
        ExpectNotFound(await Get("serviceLBs", key), $"get serviceLB {key} after delete");
        ExpectNotFound(await Inspect("serviceLBs", key), $"inspect serviceLB {key} after delete");
        DoesNotContain(LinkSet(await GetOk("tenants", tenant), "Servicelbs"), key, $"tenant {tenant} link-sets.Servicelbs");
    }
}
