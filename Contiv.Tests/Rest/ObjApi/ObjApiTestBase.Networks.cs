using System.Net;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>Tenant, network and global check helpers (checkCreateTenant, checkCreateNetwork, checkGlobalSet, ...).</summary>
public abstract partial class ObjApiTestBase
{
    // ------------------------------------------------------------------ tenants

    /// <summary>checkCreateTenant</summary>
    protected async Task CheckCreateTenant(bool expectError, string tenant, HttpStatusCode? status = null, string[]? mentions = null)
    {
        var what = $"create tenant {tenant}";
        var reply = await Post("tenants", tenant, Body(("tenantName", tenant)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        Eq(tenant, Str(echo, "key"), $"{what}: echoed key");
        Eq(tenant, Str(echo, "tenantName"), $"{what}: echoed tenantName");
        var got = await GetOk("tenants", tenant);
        Eq(tenant, Str(got, "tenantName"), $"get tenant {tenant}: tenantName");
    }

    /// <summary>checkDeleteTenant</summary>
    protected async Task CheckDeleteTenant(bool expectError, string tenant, HttpStatusCode? status = null, string[]? mentions = null) =>
        await DeleteAndCheck(expectError, "tenants", "tenant", tenant, status, mentions, stillThereWhenRefused: true);

    // ------------------------------------------------------------------ networks

    protected static string NetworkBody(string tenant, string network, string nwType, string encap, string subnet,
        string gateway, int pktTag, string ipv6Subnet, string ipv6Gateway, string cfgdTag) =>
        Body(("tenantName", tenant), ("networkName", network), ("nwType", nwType), ("encap", encap),
            ("subnet", subnet), ("gateway", gateway), ("ipv6Subnet", ipv6Subnet), ("ipv6Gateway", ipv6Gateway),
            ("pktTag", pktTag), ("cfgdTag", cfgdTag));

    /// <summary>
    /// checkCreateNetwork(expError, tenant, network, nwType, encap, subnet, gw, tag, v6subnet, v6gw, nwTag).
    /// On success also checks the echo, the GET, the Tenant link and the tenant's Networks link-set.
    /// </summary>
    protected async Task CheckCreateNetwork(bool expectError, string tenant, string network, string nwType, string encap,
        string subnet, string gateway, int pktTag, string ipv6Subnet, string ipv6Gateway, string cfgdTag,
        HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{network}";
        var what = $"create network {key} ({encap} {subnet} gw '{gateway}' tag {pktTag} v6 '{ipv6Subnet}' cfgdTag '{cfgdTag}' nwType '{nwType}')";
        var reply = await Post("networks", key,
            NetworkBody(tenant, network, nwType, encap, subnet, gateway, pktTag, ipv6Subnet, ipv6Gateway, cfgdTag));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        CheckNetworkConfig(echo, tenant, network, nwType, encap, subnet, gateway, pktTag, ipv6Subnet, ipv6Gateway, cfgdTag, $"{what}: echo");
        Eq("tenant", LinkType(echo, "Tenant"), $"{what}: echo links.Tenant.type");
        Eq(tenant, LinkKey(echo, "Tenant"), $"{what}: echo links.Tenant.key");

        var got = await GetOk("networks", key);
        CheckNetworkConfig(got, tenant, network, nwType, encap, subnet, gateway, pktTag, ipv6Subnet, ipv6Gateway, cfgdTag, $"get network {key}");

        var tenantObj = await GetOk("tenants", tenant);
        Contains(LinkSet(tenantObj, "Networks"), key, $"tenant {tenant} link-sets.Networks after creating {key}");
        CheckLinkSetEntries(tenantObj, "Networks", "network", $"tenant {tenant}");
    }

    private static void CheckNetworkConfig(JsonNode? obj, string tenant, string network, string nwType, string encap,
        string subnet, string gateway, int pktTag, string ipv6Subnet, string ipv6Gateway, string cfgdTag, string what)
    {
        Eq($"{tenant}:{network}", Str(obj, "key"), $"{what}: key");
        Eq(tenant, Str(obj, "tenantName"), $"{what}: tenantName");
        Eq(network, Str(obj, "networkName"), $"{what}: networkName");
        // nwType defaults to "data" (schema default).
        Eq(nwType.Length == 0 ? "data" : nwType, Str(obj, "nwType"), $"{what}: nwType");
        Eq(encap, Str(obj, "encap"), $"{what}: encap");
        Eq(subnet, Str(obj, "subnet"), $"{what}: subnet");
        Eq(gateway, Str(obj, "gateway"), $"{what}: gateway");
        Eq(pktTag, Int(obj, "pktTag"), $"{what}: pktTag (configured)");
        Eq(ipv6Subnet, Str(obj, "ipv6Subnet"), $"{what}: ipv6Subnet");
        Eq(ipv6Gateway, Str(obj, "ipv6Gateway"), $"{what}: ipv6Gateway");
        Eq(cfgdTag, Str(obj, "cfgdTag"), $"{what}: cfgdTag");
    }

    /// <summary>
    /// checkInspectNetwork(expError, tenant, network, allocedIPs, pktTag, addrCount): Oper.allocatedIPAddresses
    /// (the gateway counts; ranges joined with ", "), Oper.pktTag and Oper.allocatedAddressesCount
    /// (not checked when addrCount is null).
    /// </summary>
    protected async Task CheckInspectNetwork(bool expectError, string tenant, string network, string allocatedIPs,
        int pktTag, int? addrCount, HttpStatusCode? status = null)
    {
        var key = $"{tenant}:{network}";
        var what = $"inspect network {key}";
        if (expectError)
        {
            ExpectError(await Inspect("networks", key), what, status);
            return;
        }
        var (config, oper) = await InspectOk("networks", key);
        Eq(network, Str(config, "networkName"), $"{what}: Config.networkName");
        Eq(allocatedIPs, Str(oper, "allocatedIPAddresses"), $"{what}: Oper.allocatedIPAddresses");
        Eq(pktTag, Int(oper, "pktTag"), $"{what}: Oper.pktTag");
        if (addrCount is { } count)
            Eq(count, Int(oper, "allocatedAddressesCount"), $"{what}: Oper.allocatedAddressesCount");
    }

    /// <summary>
    /// verifyNetworkState, through the REST API: the stored config (GET) and the inspect Oper.
    /// pktTag / extTag of 0 are not checked (as in the original), except that a vlan network
    /// must report no externalPktTag (the original only sets ExtPktTag for vxlan).
    /// For vxlan, Oper.pktTag is the host-local VLAN and Oper.externalPktTag the VNI.
    /// Oper.networkTag is cfgdTag, or "network.tenant" when none was configured.
    /// availableIPs, when given, is the expected Oper.availableIPAddresses.
    /// </summary>
    protected async Task VerifyNetworkState(string tenant, string network, string nwType, string encap, string subnet,
        string gateway, int pktTag, int extTag, string ipv6Subnet, string ipv6Gateway, string cfgdTag = "",
        string? availableIPs = null)
    {
        var key = $"{tenant}:{network}";
        var what = $"network state {key}";
        var got = await GetOk("networks", key);
        Eq(tenant, Str(got, "tenantName"), $"{what}: tenantName");
        Eq(network, Str(got, "networkName"), $"{what}: networkName");
        Eq(nwType.Length == 0 ? "data" : nwType, Str(got, "nwType"), $"{what}: nwType");
        Eq(encap, Str(got, "encap"), $"{what}: encap");
        Eq(subnet, Str(got, "subnet"), $"{what}: subnet");
        Eq(gateway, Str(got, "gateway"), $"{what}: gateway");
        Eq(ipv6Subnet, Str(got, "ipv6Subnet"), $"{what}: ipv6Subnet");
        Eq(ipv6Gateway, Str(got, "ipv6Gateway"), $"{what}: ipv6Gateway");

        var (_, oper) = await InspectOk("networks", key);
        if (pktTag != 0) Eq(pktTag, Int(oper, "pktTag"), $"{what}: Oper.pktTag");
        if (encap == "vlan") Eq(0, Int(oper, "externalPktTag"), $"{what}: Oper.externalPktTag of a vlan network");
        else if (extTag != 0) Eq(extTag, Int(oper, "externalPktTag"), $"{what}: Oper.externalPktTag (VNI)");
        Eq(cfgdTag.Length > 0 ? cfgdTag : $"{network}.{tenant}", Str(oper, "networkTag"), $"{what}: Oper.networkTag");
        if (availableIPs is not null)
            Eq(availableIPs, Str(oper, "availableIPAddresses"), $"{what}: Oper.availableIPAddresses");
    }

    /// <summary>checkDeleteNetwork: on success the network, its inspect (state) and the tenant link are gone.</summary>
    protected async Task CheckDeleteNetwork(bool expectError, string tenant, string network, HttpStatusCode? status = null,
        string[]? mentions = null)
    {
        var key = $"{tenant}:{network}";
        if (!await DeleteAndCheck(expectError, "networks", "network", key, status, mentions, stillThereWhenRefused: true)) return;
        ExpectNotFound(await Inspect("networks", key), $"inspect network {key} after delete");
        DoesNotContain(LinkSet(await GetOk("tenants", tenant), "Networks"), key, $"tenant {tenant} link-sets.Networks after deleting {key}");
    }

    // ------------------------------------------------------------------ global

    /// <summary>checkInspectGlobal: Oper.vlansInUse / Oper.vxlansInUse.</summary>
    protected async Task CheckInspectGlobal(string vlansInUse, string vxlansInUse)
    {
        var (_, oper) = await InspectOk("globals", "global");
        Eq(vlansInUse, Str(oper, "vlansInUse"), "inspect global: Oper.vlansInUse");
        Eq(vxlansInUse, Str(oper, "vxlansInUse"), "inspect global: Oper.vxlansInUse");
    }

    /// <summary>
    /// checkGlobalSet: POST global; on success the echo and a GET must carry every value set.
    /// Returns the reply so callers can check an error message.
    /// </summary>
    protected async Task<RestReply> CheckGlobalSet(bool expectError, string infraType, string vlans, string vxlans,
        string fwdMode, string arpMode, string pvtSubnet, HttpStatusCode? status = null, string[]? mentions = null)
    {
        var what = $"set global (infra '{infraType}' vlans '{vlans}' vxlans '{vxlans}' fwd '{fwdMode}' arp '{arpMode}' pvt '{pvtSubnet}')";
        var reply = await Post("globals", "global", Body(("name", "global"), ("networkInfraType", infraType),
            ("vlans", vlans), ("vxlans", vxlans), ("fwdMode", fwdMode), ("arpMode", arpMode), ("pvtSubnet", pvtSubnet)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return reply;
        }
        var echo = ExpectOk(reply, what);
        CheckGlobalFields(echo, infraType, vlans, vxlans, fwdMode, arpMode, pvtSubnet, $"{what}: echo");
        var got = await GetOk("globals", "global");
        CheckGlobalFields(got, infraType, vlans, vxlans, fwdMode, arpMode, pvtSubnet, "get global");
        return reply;
    }

    protected static void CheckGlobalFields(JsonNode? obj, string infraType, string vlans, string vxlans,
        string fwdMode, string arpMode, string pvtSubnet, string what)
    {
        Eq("global", Str(obj, "key"), $"{what}: key");
        Eq("global", Str(obj, "name"), $"{what}: name");
        Eq(infraType, Str(obj, "networkInfraType"), $"{what}: networkInfraType");
        Eq(vlans, Str(obj, "vlans"), $"{what}: vlans");
        Eq(vxlans, Str(obj, "vxlans"), $"{what}: vxlans");
        Eq(fwdMode, Str(obj, "fwdMode"), $"{what}: fwdMode");
        Eq(arpMode, Str(obj, "arpMode"), $"{what}: arpMode");
        Eq(pvtSubnet, Str(obj, "pvtSubnet"), $"{what}: pvtSubnet");
    }
}
