using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>
/// App profiles, external contracts groups and netprofiles: ports of TestAppProfile,
/// TestExtContractsGroups, TestNetProfileupdate and TestNetprofile.
/// </summary>
[Collection("objapi")]
public sealed class ProfileTests(ObjApiMaster master) : ObjApiTestBase(master)
{
    private const string D = "default";

    /// <summary>TestAppProfile</summary>
    [Fact]
    public async Task AppProfile()
    {
        await ResetGlobalToDefaults();

        // Create two networks and 3 epgs
        await CheckCreateNetwork(false, D, "net1", "data", "vlan", "10.1.1.1/16", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetwork(false, D, "net2", "data", "vlan", "20.1.1.1/16", "20.1.1.254", 2, "", "", "");
        await CheckCreateEpg(false, D, "net1", "group1", [], [], "");
        await CheckCreateEpg(false, D, "net1", "group2", [], [], "");
        await CheckCreateEpg(false, D, "net2", "group3", [], [], "");
        await CheckCreateAppProfile(false, D, "profile1", []);
        await CheckCreateAppProfile(false, D, "profile2", ["group1"]);
        await CheckCreateAppProfile(false, D, "profile3", ["group1", "group3"]);

        // Verify epg cant be deleted while part of app profile
        await CheckDeleteEpg(true, D, "net1", "group1", Conflict, ["group1"]);
        await VerifyAppProfile(false, D, "profile3", ["group1", "group3"]);
        await CheckCreateAppProfile(false, D, "profile3", ["group1", "group2", "group3"]);
        await VerifyAppProfile(false, D, "profile3", ["group1", "group2", "group3"]);
        await CheckCreateAppProfile(true, D, "profile4", ["group1", "invalid"], NotFound, ["group"]);
        await VerifyAppProfile(true, D, "profile4", []);
        await VerifyAppProfile(false, D, "profile2", ["group1"]);
        await VerifyAppProfile(false, D, "profile1", []);

        // a network cannot be deleted while it has groups
        await CheckDeleteNetwork(true, D, "net1", Conflict, ["net1"]);

        await CheckDeleteAppProfile(false, D, "profile1");
        await CheckDeleteAppProfile(false, D, "profile2");
        await CheckDeleteAppProfile(false, D, "profile3");
        await CheckDeleteEpg(false, D, "net1", "group1");
        await CheckDeleteEpg(false, D, "net1", "group2");
        await CheckDeleteEpg(false, D, "net2", "group3");
        await CheckDeleteNetwork(false, D, "net1");
        await CheckDeleteNetwork(false, D, "net2");
    }

    /// <summary>TestExtContractsGroups</summary>
    [Fact]
    public async Task ExtContractsGroups()
    {
        string[] contracts = ["uni/tn-common/brc-default", "uni/tn-common/brc-icmp-contract"];
        await ResetGlobalToDefaults();

        // create network for the test
        await CheckCreateNetwork(false, D, "test-net", "data", "vlan", "23.1.1.1/16", "23.1.1.254", 1, "", "", "");
        // create contract groups used for the test
        await CheckCreateExtContractsGrp(false, D, "ext-contracts-prov", "provided", contracts);
        await CheckCreateExtContractsGrp(false, D, "ext-contracts-cons", "consumed", contracts);
        // Try creating a contract group which is neither "provided" nor "consumed"
        await CheckCreateExtContractsGrp(true, D, "ext-contracts-blah", "something", contracts, BadRequest, ["contract"]);
        ExpectNotFound(await Get("extContractsGroups", $"{D}:ext-contracts-blah"), "get refused extContractsGroup");

        // epg can have a provided contract group
        await CheckCreateEpg(false, D, "test-net", "group1", [], ["ext-contracts-prov"], "");
        // epg can have a consumed contract group
        await CheckCreateEpg(false, D, "test-net", "group2", [], ["ext-contracts-cons"], "");
        // epg can have both provided and consumed contract groups
        await CheckCreateEpg(false, D, "test-net", "group3", [], ["ext-contracts-prov", "ext-contracts-cons"], "");
        // Try deleting a contract group when it is being used by an EPG. Should fail
        await CheckDeleteExtContractsGrp(true, D, "ext-contracts-prov", Conflict);
        // Try creating an EPG with a contract group that does not exist. Must fail
        await CheckCreateEpg(true, D, "test-net", "group4", [], ["ext-contracts-blah"], "", NotFound, ["contract"]);
        ExpectNotFound(await Get("endpointGroups", $"{D}:group4"), "get epg refused for its contracts group");

        // create an app profile with the epgs with external contracts
        await CheckCreateAppProfile(false, D, "app-prof-test", ["group1", "group2", "group3"]);

        // delete the app profile
        await CheckDeleteAppProfile(false, D, "app-prof-test");

        // delete the groups
        await CheckDeleteEpg(false, D, "test-net", "group1");
        await CheckDeleteEpg(false, D, "test-net", "group2");
        await CheckDeleteEpg(false, D, "test-net", "group3");
        // delete the external contract groups.
        // since there are no references any more, they should be deleted.
        await CheckDeleteExtContractsGrp(false, D, "ext-contracts-prov");
        await CheckDeleteExtContractsGrp(false, D, "ext-contracts-cons");
        await CheckDeleteNetwork(false, D, "test-net");
    }

    /// <summary>TestNetProfileupdate: profile updates (DSCP 0, no bandwidth, no burst) reach the groups using it.</summary>
    [Fact]
    public async Task NetProfileUpdate()
    {
        await ResetGlobalToDefaults();

        // create a network, netprofile.
        await CheckCreateNetwork(false, D, "np-net", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetProfile(false, 5, 1500, "2gbps", "netprofile", D);
        await CheckCreateNetProfile(false, 3, 1500, "10gbps", "netprofile1", D);
        await CheckCreateEpgNp(false, D, "netprofile", "np-net", "group1", []);

        // verify that another group can be assigned to another netprofile.
        await CheckCreateEpgNp(false, D, "netprofile1", "np-net", "groupNp", []);

        // update the netprofile && check if epg has been updated
        await CheckCreateNetProfile(false, 5, 1500, "10gbps", "netprofile", D);
        await CheckVerifyNetProfile(5, 1500, "10gbps", "netprofile", D);
        await VerifyEpgNetProfile(D, "group1", "10gbps", 5, 1500);

        // update with dscp 0
        await CheckCreateNetProfile(false, 0, 150, "10gbps", "netprofile", D);
        await VerifyEpgNetProfile(D, "group1", "10gbps", 0, 150);

        // update with no bandwidth (default bandwidth)
        await CheckCreateNetProfile(false, 0, 1500, "", "netprofile", D);
        await VerifyEpgNetProfile(D, "group1", "", 0, 1500);

        // update netprofile without burst value.
        await CheckCreateNetProfile(false, 0, 0, "20mb", "netprofile", D);
        await VerifyEpgNetProfile(D, "group1", "20mb", 0, 0);

        // the other group kept its own profile
        await VerifyEpgNetProfile(D, "groupNp", "10gbps", 3, 1500);

        // delete group, netprofile and network
        await CheckDeleteEpg(false, D, "np-net", "group1");
        await CheckDeleteEpg(false, D, "np-net", "groupNp");
        await CheckDeleteNetProfile(false, "netprofile", D);
        await CheckDeleteNetProfile(false, "netprofile1", D);
        await CheckDeleteNetwork(false, D, "np-net");
    }

    /// <summary>TestNetprofile: bandwidth formats, DSCP 0..63, burst, deletes, tenant in use.</summary>
    [Fact]
    public async Task Netprofile()
    {
        const string blue = "netprof-blue";
        await ResetGlobalToDefaults();

        // create a network & netprofile
        await CheckCreateNetwork(false, D, "net", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetProfile(false, 5, 1500, "2gbps", "profile1", D);

        // verify that bandwidth and DSCP can be updated to a particular netprofile
        await CheckCreateNetProfile(false, 6, 1500, "5gbps", "profile1", D);

        // verify that a netprofile can be created without dscp & bandwidth.
        await CheckCreateNetProfile(false, 0, 1500, "", "profile2", D);

        // verify that netprofile cannot be created without proper bandwidth
        await CheckCreateNetProfile(true, 5, 1500, "invalid", "profile3", D, BadRequest, ["bandwidth"]);
        ExpectNotFound(await Get("netprofiles", $"{D}:profile3"), "get netprofile refused for its bandwidth");
        // verify that netprofile cannot be created with invalid DSCP
        await CheckCreateNetProfile(true, 72, 1500, "2gbps", "profile2", D, BadRequest, ["DSCP"]);
        // verify netprofile cannot be created with an invalid burst size 2 - 10Mbyte
        await CheckCreateNetProfile(true, 72, 1, "2gbps", "profile2", D, BadRequest);
        // the refused updates left profile2 as it was
        await CheckVerifyNetProfile(0, 1500, "", "profile2", D);
        // verify that burst size can be given in integer format.
        await CheckCreateNetProfile(false, 22, 450, "20mbps", "profile2", D);

        // DSCP bounds are 0..63
        await CheckCreateNetProfile(false, 63, 1500, "2gbps", "profile4", D);
        await CheckCreateNetProfile(true, 64, 1500, "2gbps", "profile4", D, BadRequest, ["DSCP"]);
        await CheckCreateNetProfile(true, -1, 1500, "2gbps", "profile4", D, BadRequest, ["DSCP"]);
        await CheckVerifyNetProfile(63, 1500, "2gbps", "profile4", D);
        await CheckDeleteNetProfile(false, "profile4", D);

        // verify that bandwidth is not case sensitive and user friendly format.
        foreach (var bandwidth in new[] { "10 Gbps", "10 Gb", "10 gb", "5Gb", "6gb", "3gbps", "3Gbps", "4g", "4G" })
            await CheckCreateNetProfile(false, 5, 1500, bandwidth, "profile3", D);

        // netprofile must throw error for invalid bandwidth format.
        foreach (var bandwidth in new[] { "10 Gkms", "10 G12ms", "10 ms", "10 bms", "Gkms", "Gbps", "0 Gbps", " 10 Gbps" })
            await CheckCreateNetProfile(true, 5, 1500, bandwidth, "profile3", D, BadRequest, ["bandwidth"]);
        await CheckVerifyNetProfile(5, 1500, "4G", "profile3", D);

        // verify that netprofile cannot be deleted with an invalid name/tenant name
        await CheckDeleteNetProfile(true, "invalid", D, NotFound);
        await CheckDeleteNetProfile(true, "invalid", "netprof-invalid", NotFound);

        // verify that tenant cannot be deleted when it has a netprofile.
        await CheckCreateTenant(false, blue);
        await CheckCreateNetProfile(false, 3, 0, "13mb", "profile3", blue);
        await CheckDeleteTenant(true, blue, Conflict, [blue]);

        // delete the netprofile and network
        await CheckDeleteNetProfile(false, "profile1", D);
        await CheckDeleteNetProfile(false, "profile2", D);
        await CheckDeleteNetProfile(false, "profile3", D);
        await CheckDeleteNetProfile(false, "profile3", blue);
        await CheckDeleteNetwork(false, D, "net");
        await CheckDeleteTenant(false, blue);
    }
}
