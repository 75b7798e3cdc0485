using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>
/// Ports of TestDynamicGlobalVlanRange, TestDynamicGlobalVxlanRange, TestGlobalSettingFwdMode,
/// TestGlobalSettingSubnet and TestGlobalSetting, plus the first-start defaults and the refused
/// delete of `global`.
/// </summary>
[Collection("objapi")]
public sealed class GlobalTests(ObjApiMaster master) : ObjApiTestBase(master)
{
    private const string D = "default";

    /// <summary>On first start: tenant `default` and `global` with the default settings exist.</summary>
    [Fact]
    public void FirstStartDefaults()
    {
        var global = ExpectOk(Fixture.InitialGlobal, "get global on first start");
        CheckGlobalFields(global, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, DefPvtSubnet, "global on first start");
        var tenant = ExpectOk(Fixture.InitialDefaultTenant, "get tenant default on first start");
        Eq("default", Str(tenant, "key"), "tenant default on first start: key");
        Eq("default", Str(tenant, "tenantName"), "tenant default on first start: tenantName");
    }

    /// <summary>Deleting `global` broke the original; it is refused and global stays as it was.</summary>
    [Fact]
    public async Task GlobalDeleteIsRefused()
    {
        await ResetGlobalToDefaults();
        ExpectError(await Delete("globals", "global"), "delete global");
        var got = await GetOk("globals", "global");
        CheckGlobalFields(got, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, DefPvtSubnet, "global after refused delete");
        // and networks can still be created
        await CheckCreateNetwork(false, D, "gdel-net", "", "vxlan", "10.1.1.0/24", "", 0, "", "", "");
        await CheckDeleteNetwork(false, D, "gdel-net");
    }

    /// <summary>TestDynamicGlobalVlanRange</summary>
    [Fact]
    public async Task DynamicGlobalVlanRange()
    {
        await ResetGlobalToDefaults();

        // Basic vlan network creation
        await CheckCreateNetwork(false, D, "contiv1", "", "vlan", "10.1.1.1/24", "10.1.1.254", 10, "", "", "");
        await CheckInspectNetwork(false, D, "contiv1", "10.1.1.254", 10, 0);
        await VerifyNetworkState(D, "contiv1", "data", "vlan", "10.1.1.1/24", "10.1.1.254", 10, 0, "", "");

        await CheckCreateNetwork(false, D, "contiv2", "", "vlan", "11.1.1.1/24", "11.1.1.254", 11, "", "", "");
        await CheckInspectNetwork(false, D, "contiv2", "11.1.1.254", 11, 0);
        await VerifyNetworkState(D, "contiv2", "data", "vlan", "11.1.1.1/24", "11.1.1.254", 11, 0, "", "");

        await CheckCreateNetwork(false, D, "contiv3", "", "vlan", "12.1.1.1/24", "12.1.1.254", 300, "", "", "");
        await CheckInspectNetwork(false, D, "contiv3", "12.1.1.254", 300, 0);
        await VerifyNetworkState(D, "contiv3", "data", "vlan", "12.1.1.1/24", "12.1.1.254", 300, 0, "", "");

        // Change global state
        await CheckGlobalSet(false, DefInfra, "9-301", DefVxlans, DefFwdMode, DefArpMode, DefPvtSubnet);

        // verify creation of network with active tag fails after change in global vlan range
        await CheckCreateNetwork(true, D, "contiv4", "", "vlan", "13.1.1.1/24", "13.1.1.254", 10, "", "", "", Conflict, ["vlan"]);

        // verify creation of network with out of range tag fails after change in global vlan range
        await CheckCreateNetwork(true, D, "contiv5", "", "vlan", "14.1.1.1/24", "14.1.1.254", 302, "", "", "", Conflict, ["vlan"]);

        // verify creation of network succeeds after vlan change
        await CheckCreateNetwork(false, D, "contiv6", "", "vlan", "15.1.1.1/24", "15.1.1.254", 299, "", "", "");
        await CheckInspectNetwork(false, D, "contiv6", "15.1.1.254", 299, 0);
        await VerifyNetworkState(D, "contiv6", "data", "vlan", "15.1.1.1/24", "15.1.1.254", 299, 0, "", "");

        // check global state change fails if there are active tags
        await CheckGlobalSet(true, DefInfra, "50-301", DefVxlans, DefFwdMode, DefArpMode, DefPvtSubnet, Conflict, ["vlan"]);
        await CheckGlobalSet(true, DefInfra, "1-200", DefVxlans, DefFwdMode, DefArpMode, DefPvtSubnet, Conflict, ["vlan"]);
        var unchanged = await GetOk("globals", "global");
        Eq("9-301", Str(unchanged, "vlans"), "global vlans after refused range changes");

        // check global vlan range can be changed to bigger range
        await CheckGlobalSet(false, DefInfra, "1-800", DefVxlans, DefFwdMode, "flood", DefPvtSubnet);
        await CheckCreateNetwork(false, D, "contiv7", "", "vlan", "16.1.1.1/24", "16.1.1.254", 700, "", "", "");
        await CheckInspectNetwork(false, D, "contiv7", "16.1.1.254", 700, 0);
        await VerifyNetworkState(D, "contiv7", "data", "vlan", "16.1.1.1/24", "16.1.1.254", 700, 0, "", "");

        // Delete and recreate the network
        await CheckDeleteNetwork(false, D, "contiv7");

        await CheckCreateNetwork(false, D, "contiv7", "", "vlan", "16.1.1.1/24", "16.1.1.254", 700, "", "", "");
        await CheckInspectNetwork(false, D, "contiv7", "16.1.1.254", 700, 0);
        await VerifyNetworkState(D, "contiv7", "data", "vlan", "16.1.1.1/24", "16.1.1.254", 700, 0, "", "");

        await CheckDeleteNetwork(false, D, "contiv7");
        await CheckDeleteNetwork(false, D, "contiv6");
        await CheckDeleteNetwork(false, D, "contiv3");
        await CheckDeleteNetwork(false, D, "contiv2");
        await CheckDeleteNetwork(false, D, "contiv1");

        await ResetGlobalToDefaults();
    }

    /// <summary>TestDynamicGlobalVxlanRange: VNIs and host-local vlans (lowest free, from 1) across range changes.</summary>
    [Fact]
    public async Task DynamicGlobalVxlanRange()
    {
        await ResetGlobalToDefaults();
        await InspectOk("globals", "global");

        // Basic vxlan network creation
        await CheckCreateNetwork(false, D, "contiv1", "", "vxlan", "10.1.1.1/24", "10.1.1.254", 1000, "", "", "");
        await VerifyNetworkState(D, "contiv1", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, 1000, "", "");

        await CheckCreateNetwork(false, D, "contiv2", "", "vxlan", "11.1.1.1/24", "11.1.1.254", 1001, "", "", "");
        await VerifyNetworkState(D, "contiv2", "data", "vxlan", "11.1.1.1/24", "11.1.1.254", 2, 1001, "", "");

        await CheckCreateNetwork(false, D, "contiv3", "", "vxlan", "12.1.1.1/24", "12.1.1.254", 2000, "", "", "");
        await VerifyNetworkState(D, "contiv3", "data", "vxlan", "12.1.1.1/24", "12.1.1.254", 3, 2000, "", "");

        // Change global state
        await CheckGlobalSet(false, DefInfra, DefVlans, "1000-2500", DefFwdMode, DefArpMode, DefPvtSubnet);

        // verify creation of network with active tag fails after change in global vxlan range
        await CheckCreateNetwork(true, D, "contiv4", "", "vxlan", "13.1.1.1/24", "13.1.1.254", 1000, "", "", "", Conflict, ["vxlan"]);

        // verify creation of network with out of range tag fails after change in global vxlan range
        await CheckCreateNetwork(true, D, "contiv5", "", "vxlan", "13.1.1.1/24", "13.1.1.254", 2501, "", "", "", Conflict, ["vxlan"]);

        // verify creation of network succeeds after vxlan change (no local vlan leaked by the refusals)
        await CheckCreateNetwork(false, D, "contiv6", "", "vxlan", "14.1.1.1/24", "14.1.1.254", 2200, "", "", "");
        await VerifyNetworkState(D, "contiv6", "data", "vxlan", "14.1.1.1/24", "14.1.1.254", 4, 2200, "", "");

        // check global state change fails if there are active tags
        await CheckGlobalSet(true, DefInfra, DefVlans, "2000-10000", DefFwdMode, DefArpMode, DefPvtSubnet, Conflict, ["vxlan"]);
        await CheckGlobalSet(true, DefInfra, DefVlans, "1000-2000", DefFwdMode, DefArpMode, DefPvtSubnet, Conflict, ["vxlan"]);
        var unchanged = await GetOk("globals", "global");
        Eq("1000-2500", Str(unchanged, "vxlans"), "global vxlans after refused range changes");

        // check global vxlan range can be changed to bigger range
        await CheckGlobalSet(false, DefInfra, DefVlans, "1000-9000", DefFwdMode, DefArpMode, DefPvtSubnet);
        await CheckCreateNetwork(false, D, "contiv7", "", "vxlan", "15.1.1.1/24", "15.1.1.254", 3200, "", "", "");
        await VerifyNetworkState(D, "contiv7", "data", "vxlan", "15.1.1.1/24", "15.1.1.254", 5, 3200, "", "");

        // Delete and recreate the network
        await CheckDeleteNetwork(false, D, "contiv7");

        await CheckCreateNetwork(false, D, "contiv7", "", "vxlan", "16.1.1.1/24", "16.1.1.254", 3200, "", "", "");
        await VerifyNetworkState(D, "contiv7", "data", "vxlan", "16.1.1.1/24", "16.1.1.254", 5, 3200, "", "");

        await CheckDeleteNetwork(false, D, "contiv7");
        await CheckDeleteNetwork(false, D, "contiv6");
        await CheckDeleteNetwork(false, D, "contiv3");
        await CheckDeleteNetwork(false, D, "contiv2");
        await CheckDeleteNetwork(false, D, "contiv1");

        await ResetGlobalToDefaults();
    }

    /// <summary>TestGlobalSettingFwdMode: the forwarding mode cannot change while networks exist.</summary>
    [Fact]
    public async Task GlobalSettingFwdMode()
    {
        // set to default values (no-op)
        await ResetGlobalToDefaults();

        // Create a vxlan network to verify you cannot change forward mode
        await CheckCreateNetwork(false, D, "contiv7", "", "vxlan", "16.1.1.1/24", "16.1.1.254", 3200, "", "", "");

        // Should fail when changing the forwarding mode whenever there is a network
        var reply = await CheckGlobalSet(true, DefInfra, DefVlans, DefVxlans, "routing", DefArpMode, DefPvtSubnet, Conflict);
        Eq("Unable to update forwarding mode due to existing 1 vxlans", reply.Body.Trim(), "error message");

        // remove the vxlan network and add a vlan network
        await CheckDeleteNetwork(false, D, "contiv7");
        await CheckCreateNetwork(false, D, "contiv7", "", "vlan", "16.1.1.1/24", "16.1.1.254", 3200, "", "", "");
        reply = await CheckGlobalSet(true, DefInfra, DefVlans, DefVxlans, "routing", DefArpMode, DefPvtSubnet, Conflict);
        Eq("Unable to update forwarding mode due to existing 1 vlans", reply.Body.Trim(), "error message");
        Eq(DefFwdMode, Str(await GetOk("globals", "global"), "fwdMode"), "global fwdMode after refused change");

        // remove the vlan network
        await CheckDeleteNetwork(false, D, "contiv7");

        // make sure can change forwarding mode after network deleted
        await CheckGlobalSet(false, DefInfra, DefVlans, DefVxlans, "routing", DefArpMode, "172.21.0.0/16");

        // reset back to default values
        await ResetGlobalToDefaults();
    }

    /// <summary>TestGlobalSettingSubnet: the private subnet cannot change while networks exist.</summary>
    [Fact]
    public async Task GlobalSettingSubnet()
    {
        // set to default values (no-op)
        await ResetGlobalToDefaults();
        // Create a network to see if global subnet changes are blocked
        await CheckCreateNetwork(false, D, "contiv7", "", "vxlan", "16.1.1.1/24", "16.1.1.254", 3200, "", "", "");

        // This should fail
        var reply = await CheckGlobalSet(true, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, "172.21.0.0/16", Conflict);
        Eq("Unable to update private subnet due to existing 1 vxlans", reply.Body.Trim(), "error message");

        // remove the vxlan network and add a vlan network
        await CheckDeleteNetwork(false, D, "contiv7");
        await CheckCreateNetwork(false, D, "contiv7", "", "vlan", "16.1.1.1/24", "16.1.1.254", 3200, "", "", "");

        // This should still fail
        reply = await CheckGlobalSet(true, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, "172.21.0.0/16", Conflict);
        Eq("Unable to update private subnet due to existing 1 vlans", reply.Body.Trim(), "error message");
        Eq(DefPvtSubnet, Str(await GetOk("globals", "global"), "pvtSubnet"), "global pvtSubnet after refused change");

        // remove the network
        await CheckDeleteNetwork(false, D, "contiv7");
        // make sure can change subnet after network deleted
        await CheckGlobalSet(false, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, "172.21.0.0/16");
        // reset back to default values
        await ResetGlobalToDefaults();
    }

    /// <summary>TestGlobalSetting: valid modifications and every invalid value.</summary>
    [Fact]
    public async Task GlobalSetting()
    {
        // set to default values (no-op)
        await ResetGlobalToDefaults();

        // try basic modification
        await CheckGlobalSet(false, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, "172.20.0.0/16");
        // set aci mode
        await CheckGlobalSet(false, "aci", DefVlans, DefVxlans, DefFwdMode, "flood", "172.20.0.0/16");

        // modify vlan/vxlan range
        await CheckGlobalSet(false, DefInfra, "1-1000", "1001-2000", DefFwdMode, DefArpMode, "172.20.0.0/16");

        // try invalid fabric mode
        await CheckGlobalSet(true, "xyz", DefVlans, DefVxlans, DefFwdMode, DefArpMode, "172.20.0.0/16",
            BadRequest, ["networkInfraType"]);

        // try invalid vlan/vxlan range: out of bounds ...
        await CheckGlobalSet(true, DefInfra, "1-5000", DefVxlans, DefFwdMode, DefArpMode, "172.20.0.0/16", BadRequest);
        await CheckGlobalSet(true, DefInfra, "0-4094", DefVxlans, DefFwdMode, DefArpMode, "172.20.0.0/16", BadRequest);
        // ... and not a range at all (schema format)
        await CheckGlobalSet(true, DefInfra, "1", DefVxlans, DefFwdMode, DefArpMode, "172.20.0.0/16", BadRequest, ["vlans"]);
        await CheckGlobalSet(true, DefInfra, "1?2", DefVxlans, DefFwdMode, DefArpMode, "172.20.0.0/16", BadRequest, ["vlans"]);
        await CheckGlobalSet(true, DefInfra, "abcd", DefVxlans, DefFwdMode, DefArpMode, "172.20.0.0/16", BadRequest, ["vlans"]);
        await CheckGlobalSet(true, DefInfra, DefVlans, "1-100000", DefFwdMode, DefArpMode, "172.20.0.0/16", BadRequest);
        await CheckGlobalSet(true, DefInfra, DefVlans, "1-20000", DefFwdMode, DefArpMode, "172.20.0.0/16", BadRequest);

        // none of the refused values was stored
        var unchanged = await GetOk("globals", "global");
        CheckGlobalFields(unchanged, DefInfra, "1-1000", "1001-2000", DefFwdMode, DefArpMode, "172.20.0.0/16",
            "global after refused changes");

        // modify pvt subnet
        await CheckGlobalSet(false, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, "172.21.0.0/16");
        // Try invalid pvt subnet
        await CheckGlobalSet(true, DefInfra, DefVlans, DefVxlans, DefFwdMode, DefArpMode, "172.21.0.0/24",
            BadRequest, ["pvtSubnet"]);

        // reset back to default values
        await ResetGlobalToDefaults();
    }
}
