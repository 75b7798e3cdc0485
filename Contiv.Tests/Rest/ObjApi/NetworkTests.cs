using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>Ports of TestOverlappingSubnets, TestNetworkAddDelete and TestNetworkPktRanges.</summary>
[Collection("objapi")]
public sealed class NetworkTests(ObjApiMaster master) : ObjApiTestBase(master)
{
    private const string D = "default";

    /// <summary>TestOverlappingSubnets: subnets (v4, ranges, v6) may not overlap within a tenant; across tenants they may.</summary>
    [Fact]
    public async Task OverlappingSubnets()
    {
        const string t1 = "ovl-tenant1";
        await ResetGlobalToDefaults();

        // Non-overlapping subnet for same tenant - vlan & gateway
        await CheckCreateNetwork(false, D, "contiv1", "", "vlan", "10.1.1.0/24", "10.1.1.220", 1, "", "", "");
        await CheckCreateNetwork(false, D, "contiv2", "", "vlan", "10.1.2.0/24", "10.1.2.254", 2, "", "", "");
        await CheckInspectNetwork(false, D, "contiv1", "10.1.1.220", 1, 0);
        await CheckInspectNetwork(false, D, "contiv2", "10.1.2.254", 2, 0);
        await VerifyNetworkState(D, "contiv1", "", "vlan", "10.1.1.0/24", "10.1.1.220", 1, 0, "", "",
            availableIPs: "10.1.1.1-10.1.1.219, 10.1.1.221-10.1.1.254");
        await CheckDeleteNetwork(false, D, "contiv1");
        await CheckDeleteNetwork(false, D, "contiv2");

        // overlapping subnet for same tenant -- vlan - vxlan combination
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "10.1.1.0/24", "", 1, "", "", "");
        await CheckCreateNetwork(true, D, "contiv1", "", "vxlan", "10.1.1.0/24", "", 2, "", "", "", Conflict, ["subnet"]);
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        ExpectNotFound(await Get("networks", $"{D}:contiv1"), "get network refused for overlap");
        await CheckDeleteNetwork(false, D, "contiv");

        // Overlapping subnet for same tenant - vxlan
        await CheckCreateNetwork(false, D, "contiv", "", "vxlan", "10.1.1.0/24", "", 1, "", "", "");
        await CheckCreateNetwork(true, D, "contiv1", "", "vxlan", "10.1.1.0/24", "", 2, "", "", "", Conflict, ["subnet"]);
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckDeleteNetwork(false, D, "contiv");

        // Overlapping subnet for same tenant - including gateway
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "10.1.1.0/24", "", 1, "", "", "");
        await CheckCreateNetwork(true, D, "contiv1", "", "vlan", "10.1.1.0/24", "10.1.1.233", 2, "", "", "", Conflict, ["subnet"]);
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckDeleteNetwork(false, D, "contiv");

        // Overlapping subnet for same tenant - vlan
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "10.1.1.0/16", "", 1, "", "", "");
        await CheckCreateNetwork(true, D, "contiv1", "", "vlan", "10.1.2.0/24", "", 2, "", "", "", Conflict, ["subnet"]);
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckDeleteNetwork(false, D, "contiv");

        // Overlapping subnet for different tenant - vlan
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "10.1.1.0/24", "", 1, "", "", "");
        await CheckCreateTenant(false, t1);
        await CheckCreateNetwork(false, t1, "contiv1", "", "vlan", "10.1.0.0/16", "", 2, "", "", "");
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckInspectNetwork(false, t1, "contiv1", "", 2, 0);
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckDeleteNetwork(false, t1, "contiv1");
        await CheckDeleteTenant(false, t1);

        // Non-overlapping subnet ranges for same tenant
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "20.1.1.10-20.1.1.45/24", "", 1, "", "", "");
        await CheckCreateNetwork(false, D, "contiv2", "", "vlan", "20.1.1.46-20.1.1.100/24", "", 2, "", "", "");
        await CheckCreateNetwork(false, D, "contiv3", "", "vlan", "20.1.1.0-20.1.1.9/24", "", 3, "", "", "");
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckInspectNetwork(false, D, "contiv2", "", 2, 0);
        await CheckInspectNetwork(false, D, "contiv3", "", 3, 0);
        // Only the range is handed out; the network address never is.
        await VerifyNetworkState(D, "contiv", "", "vlan", "20.1.1.10-20.1.1.45/24", "", 1, 0, "", "",
            availableIPs: "20.1.1.10-20.1.1.45");
        await VerifyNetworkState(D, "contiv3", "", "vlan", "20.1.1.0-20.1.1.9/24", "", 3, 0, "", "",
            availableIPs: "20.1.1.1-20.1.1.9");
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckDeleteNetwork(false, D, "contiv2");
        await CheckDeleteNetwork(false, D, "contiv3");

        // Overlapping subnet ranges for same tenant
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "20.1.1.10-20.1.1.45/24", "", 1, "", "", "");
        await CheckCreateNetwork(true, D, "contiv2", "", "vlan", "20.1.1.45-20.1.1.100/24", "", 2, "", "", "", Conflict, ["subnet"]);
        await CheckCreateNetwork(true, D, "contiv3", "", "vlan", "20.1.1.0-20.1.1.10/24", "", 3, "", "", "", Conflict, ["subnet"]);
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckDeleteNetwork(false, D, "contiv");

        // Non-Overlapping subnetv6 for same tenant
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "20.1.1.0/24", "", 1, "::/64", "", "");
        await CheckCreateNetwork(false, D, "contiv1", "", "vlan", "20.1.2.0/24", "", 2, "1::/64", "", "");
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckInspectNetwork(false, D, "contiv1", "", 2, 0);
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckDeleteNetwork(false, D, "contiv1");

        // Overlapping subnetv6 for same tenant
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "20.1.1.0/24", "", 1, "2001:3332:3244:2422::/64", "", "");
        await CheckCreateNetwork(true, D, "contiv1", "", "vlan", "20.1.2.0/24", "", 2, "2001:3332:3244:2422::/64", "", "",
            Conflict, ["subnet"]);
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckDeleteNetwork(false, D, "contiv");

        // Overlapping subnetv6 for same tenant - vxlan
        await CheckCreateNetwork(false, D, "contiv", "", "vxlan", "10.1.1.0/16", "", 1, "2001:2000::/32", "", "");
        await CheckCreateNetwork(true, D, "contiv1", "", "vxlan", "10.2.0.0/16", "", 2, "2001:2000:1234:4422::/64", "", "",
            Conflict, ["subnet"]);
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckDeleteNetwork(false, D, "contiv");

        // Overlapping subnetv6 for different tenant
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "10.1.1.0/24", "", 1, "ffff:ffff:ffff::/48", "", "");
        await CheckCreateTenant(false, t1);
        await CheckCreateNetwork(false, t1, "contiv1", "", "vlan", "10.1.0.0/16", "", 2, "ffff:ffff:ffff::/48", "", "");
        await CheckInspectNetwork(false, D, "contiv", "", 1, 0);
        await CheckInspectNetwork(false, t1, "contiv1", "", 2, 0);
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckDeleteNetwork(false, t1, "contiv1");
        await CheckDeleteTenant(false, t1);
    }

    /// <summary>TestNetworkAddDelete: vlan/vxlan/infra/range networks, tags, and every invalid input.</summary>
    [Fact]
    public async Task NetworkAddDelete()
    {
        await ResetGlobalToDefaults();

        // Basic vlan network
        await CheckCreateNetwork(false, D, "contiv", "", "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckInspectNetwork(false, D, "contiv", "10.1.1.254", 1, 0);
        await CheckInspectGlobal("1", "");
        await VerifyNetworkState(D, "contiv", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 1, 0, "", "",
            availableIPs: "10.1.1.1-10.1.1.253");
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckInspectGlobal("", "");

        // Basic Vxlan network: VNI 1, host-local vlan 1
        await CheckCreateNetwork(false, D, "contiv", "", "vxlan", "10.1.1.1/16", "10.1.1.254", 1, "", "", "");
        await CheckInspectNetwork(false, D, "contiv", "10.1.1.254", 1, 0);
        await CheckInspectGlobal("", "1");
        await VerifyNetworkState(D, "contiv", "data", "vxlan", "10.1.1.1/16", "10.1.1.254", 1, 1, "", "",
            availableIPs: "10.1.0.1-10.1.1.253, 10.1.1.255-10.1.255.254");
        await CheckDeleteNetwork(false, D, "contiv");

        // Basic network with '-' in the name
        await CheckCreateNetwork(false, D, "contiv-valid", "", "vxlan", "10.1.1.1/16", "10.1.1.254", 1, "", "", "");
        await VerifyNetworkState(D, "contiv-valid", "data", "vxlan", "10.1.1.1/16", "10.1.1.254", 1, 1, "", "");
        await CheckDeleteNetwork(false, D, "contiv-valid");

        // Basic network without gateway
        await CheckCreateNetwork(false, D, "contiv-gw", "", "vxlan", "10.1.1.1/16", "", 1, "", "", "");
        await CheckInspectNetwork(false, D, "contiv-gw", "", 1, 0);
        await CheckInspectGlobal("", "1");
        await VerifyNetworkState(D, "contiv-gw", "data", "vxlan", "10.1.1.1/16", "", 1, 1, "", "",
            availableIPs: "10.1.0.1-10.1.255.254");
        await CheckDeleteNetwork(false, D, "contiv-gw");

        // Basic network with ipv6
        await CheckCreateNetwork(false, D, "contiv-ipv6", "", "vxlan", "10.1.1.1/16", "", 1, "2016:0617::/120", "", "");
        await VerifyNetworkState(D, "contiv-ipv6", "data", "vxlan", "10.1.1.1/16", "", 1, 1, "2016:0617::/120", "");
        await CheckDeleteNetwork(false, D, "contiv-ipv6");

        // Infra vlan network create and delete
        await CheckCreateNetwork(false, D, "infraNw", "infra", "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckInspectNetwork(false, D, "infraNw", "10.1.1.254", 1, 0);
        await CheckInspectGlobal("1", "");
        await VerifyNetworkState(D, "infraNw", "infra", "vlan", "10.1.1.1/24", "10.1.1.254", 1, 0, "", "");
        await CheckDeleteNetwork(false, D, "infraNw");

        // Try creating network with invalid names (a ':' also splits the URL key: only the 400 is required)
        await CheckCreateNetwork(true, D, "contiv:invalid", "infra", "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "", BadRequest);
        await CheckCreateNetwork(true, D, "contiv|invalid", "infra", "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "",
            BadRequest, ["networkName"]);
        await CheckCreateNetwork(true, D, "-invalid", "infra", "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "",
            BadRequest, ["networkName"]);

        // Try creating network with invalid network type
        foreach (var nwType in new[] { "infratest", "testinfra", "testdata", "datatest" })
            await CheckCreateNetwork(true, D, "infraNw", nwType, "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "",
                BadRequest, ["nwType"]);
        ExpectNotFound(await Get("networks", $"{D}:infraNw"), "get network refused for its nwType");

        // Basic IP range network checks
        await CheckCreateNetwork(false, D, "contiv", "data", "vxlan", "10.1.1.10-10.1.1.20/24", "10.1.1.254", 1, "", "", "");
        await VerifyNetworkState(D, "contiv", "data", "vxlan", "10.1.1.10-10.1.1.20/24", "10.1.1.254", 1, 1, "", "",
            availableIPs: "10.1.1.10-10.1.1.20");
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckCreateNetwork(false, D, "contiv", "data", "vxlan", "10.1.1.10-10.1.5.254/16", "10.1.254.254", 1, "", "", "");
        await VerifyNetworkState(D, "contiv", "data", "vxlan", "10.1.1.10-10.1.5.254/16", "10.1.254.254", 1, 1, "", "",
            availableIPs: "10.1.1.10-10.1.5.254");
        await CheckDeleteNetwork(false, D, "contiv");

        // Try invalid values for ip addr range
        foreach (var subnet in new[]
                 {
                     "10.1.1.10-20/24", "10.1.1.10-10.1.20/24", "10.1.1.10-10.1.1.1/24", "10.1.1.10-10.1.2.30/24",
                     "10.1.1.10-10.2.1.30/16", "10.1.1.10-10.1.1.1.30/24", "10.1.1/24", "10.1.1.256/24",
                 })
        {
            await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", subnet, "10.1.1.254", 1, "", "", "",
                BadRequest, ["subnet"]);
        }

        // Valid values for network tag
        await CheckCreateNetwork(false, D, "contiv", "data", "vxlan", "10.1.1.0/24", "10.1.1.254", 1, "", "", "contiv-net");
        await VerifyNetworkState(D, "contiv", "data", "vxlan", "10.1.1.0/24", "10.1.1.254", 1, 1, "", "", cfgdTag: "contiv-net",
            availableIPs: "10.1.1.1-10.1.1.253");
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckCreateNetwork(false, D, "contiv", "data", "vxlan", "10.1.1.0/24", "10.1.1.254", 1, "", "", "io.contiv.network.test");
        await VerifyNetworkState(D, "contiv", "data", "vxlan", "10.1.1.0/24", "10.1.1.254", 1, 1, "", "",
            cfgdTag: "io.contiv.network.test");
        await CheckDeleteNetwork(false, D, "contiv");

        // Try network create with invalid network tag
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.1.0/24", "10.1.1.254", 1, "", "", "tag=contiv-net",
            BadRequest, ["cfgdTag"]);
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.2.0/24", "10.1.1.254", 1, "", "", "io.contiv.network/test",
            BadRequest, ["cfgdTag"]);

        // Try network create with invalid network range
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.1.1-70/26", "10.1.1.63", 1, "", "", "",
            BadRequest, ["subnet"]);

        // Try network create with invalid subnet length
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.1.1/32", "10.1.1.1", 1, "", "", "",
            BadRequest, ["subnet"]);
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.1.1/24", "10.1.1.1", 1, "2016:0617::/128", "", "",
            BadRequest, ["ipv6Subnet"]);

        // try creating network without tenant
        await CheckCreateNetwork(true, "nad-tenant1", "contiv", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "",
            NotFound, ["tenant"]);

        // try invalid encap
        await CheckCreateNetwork(true, D, "contiv", "data", "vvvv", "10.1.1.1/24", "10.1.1.254", 1, "", "", "",
            BadRequest, ["encap"]);

        // try invalid pkt tags: vlan 5000 is beyond any vlan (invalid input or not available),
        // vxlan 20000 is outside the configured vxlan range 1-10000 (not available)
        await CheckCreateNetwork(true, D, "contiv", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 5000, "", "", "",
            mentions: ["vlan"]);
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 20000, "", "", "",
            Conflict, ["vxlan"]);

        // Try gateway outside the network
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.1.1/24", "10.1.2.254", 1, "", "", "",
            BadRequest, ["gateway"]);
        await CheckCreateNetwork(true, D, "contiv", "data", "vxlan", "10.1.1.65-70/26", "10.1.1.1", 2, "", "", "",
            BadRequest);

        // Nothing of the refused creates is left behind, no tag is leaked
        ExpectNotFound(await Get("networks", $"{D}:contiv"), "get network after refused creates");
        await CheckInspectGlobal("", "");

        // Try deleting a non-existing network
        await CheckDeleteNetwork(true, D, "contiv", NotFound);
    }

    /// <summary>TestNetworkPktRanges: tag auto-allocation, duplicates, and tags outside shrunk ranges.</summary>
    [Fact]
    public async Task NetworkPktRanges()
    {
        await ResetGlobalToDefaults();

        // verify auto allocation of vlans
        await CheckCreateNetwork(false, D, "contiv", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 0, "", "", "");
        await VerifyNetworkState(D, "contiv", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 1, 0, "", "");
        await CheckDeleteNetwork(false, D, "contiv");

        // auto allocation of vxlan
        await CheckCreateNetwork(false, D, "contiv", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 0, "", "", "");
        await VerifyNetworkState(D, "contiv", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, 1, "", "");
        await CheckCreateNetwork(false, D, "contiv2", "data", "vxlan", "10.1.2.1/24", "10.1.2.254", 0, "", "", "");
        await VerifyNetworkState(D, "contiv2", "data", "vxlan", "10.1.2.1/24", "10.1.2.254", 2, 2, "", "");
        await CheckCreateNetwork(false, D, "contiv3", "data", "vxlan", "10.1.3.1/24", "10.1.3.254", 1000, "", "", "");
        await VerifyNetworkState(D, "contiv3", "data", "vxlan", "10.1.3.1/24", "10.1.3.254", 3, 1000, "", "");
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckDeleteNetwork(false, D, "contiv2");
        await CheckDeleteNetwork(false, D, "contiv3");

        // verify duplicate values fail (same tag and same subnet: a conflict either way)
        await CheckCreateNetwork(false, D, "contiv1", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetwork(true, D, "contiv2", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "", Conflict);
        await CheckDeleteNetwork(false, D, "contiv1");

        await CheckCreateNetwork(false, D, "contiv1", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 0, "", "", "");
        await CheckCreateNetwork(true, D, "contiv2", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "", Conflict);
        await CheckDeleteNetwork(false, D, "contiv1");

        // shrink ranges and try allocating
        await CheckGlobalSet(false, DefInfra, "100-1000", "1001-2000", DefFwdMode, DefArpMode, "172.20.0.0/16");
        await CheckCreateNetwork(true, D, "contiv1", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 1001, "", "", "", Conflict, ["vlan"]);
        await CheckCreateNetwork(true, D, "contiv1", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 99, "", "", "", Conflict, ["vlan"]);
        await CheckCreateNetwork(true, D, "contiv2", "data", "vxlan", "10.1.2.1/24", "10.1.2.254", 2001, "", "", "", Conflict, ["vxlan"]);
        await CheckCreateNetwork(true, D, "contiv2", "data", "vxlan", "10.1.2.1/24", "10.1.2.254", 1000, "", "", "", Conflict, ["vxlan"]);

        // reset back to default values
        await ResetGlobalToDefaults();
    }
}
