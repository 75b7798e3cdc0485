using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>Ports of TestEpgPolicies, TestEpgnpTenant, TestEpgnp, TestEpgUpdate and TestDeleteEpgNp.</summary>
[Collection("objapi")]
public sealed class EndpointGroupTests(ObjApiMaster master) : ObjApiTestBase(master)
{
    private const string D = "default";

    /// <summary>TestEpgPolicies: attaching policies to groups, refusals, and policy changes.</summary>
    [Fact]
    public async Task EpgPolicies()
    {
        await ResetGlobalToDefaults();

        // create network
        await CheckCreateNetwork(false, D, "contiv", "data", "vxlan", "10.1.1.1/16", "10.1.1.254", 1, "", "", "");

        // create policy
        await CheckCreatePolicy(false, D, "policy1");

        // add rules
        await CheckCreateRule(false, D, "policy1", "1", "in", "contiv", "", "", "", "", "", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy1", "2", "in", "contiv", "", "", "", "", "", "", "deny", 1, 0);
        await CheckCreateRule(false, D, "policy1", "3", "out", "", "", "", "contiv", "", "", "tcp", "allow", 1, 80);

        // create EPG and attach policy to it
        await CheckCreateEpg(false, D, "contiv", "group1", ["policy1"], [], "");
        await VerifyEpgPolicy(D, "group1", "policy1");

        // create a policy and rule that matches on other policy
        await CheckCreatePolicy(false, D, "policy2");
        await CheckCreateRule(false, D, "policy2", "1", "in", "", "group1", "", "", "", "", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy2", "2", "out", "", "", "", "", "group1", "", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy2", "3", "in", "contiv", "", "", "", "", "", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy2", "4", "out", "", "", "", "contiv", "", "", "tcp", "allow", 1, 80);
        await CheckCreateEpg(false, D, "contiv", "group2", ["policy2"], [], "");
        await VerifyEpgPolicy(D, "group2", "policy2");

        // verify cant create/update EPGs that uses non-existing policies
        await CheckCreateEpg(true, D, "contiv", "group3", ["invalid"], [], "", NotFound, ["policy"]);
        ExpectNotFound(await Get("endpointGroups", $"{D}:group3"), "get epg group3 refused for its policy");
        await CheckCreateEpg(true, D, "contiv", "group2", ["invalid"], [], "", NotFound, ["policy"]);
        await VerifyEpgPolicy(D, "group2", "policy2");

        // verify cant create EPGs without tenant/network
        await CheckCreateEpg(true, "invalid", "contiv", "group3", [], [], "", NotFound, ["tenant"]);
        await CheckCreateEpg(true, D, "invalid", "group3", [], [], "", NotFound, ["network"]);

        // verify name clash between network and epg is rejected
        await CheckCreateEpg(true, D, "contiv", "contiv", [], [], "", Conflict, ["contiv"]);
        await CheckCreateNetwork(true, D, "group1", "data", "vxlan", "20.1.1.1/16", "20.1.1.254", 1, "", "", "", Conflict, ["group1"]);
        // verify network association cant be changed on epg
        await CheckCreateNetwork(false, D, "newnet", "data", "vxlan", "20.1.1.1/16", "20.1.1.254", 2, "", "", "");
        await CheckCreateEpg(true, D, "newnet", "group1", [], [], "", Conflict, ["network"]);
        Eq("contiv", Str(await GetOk("endpointGroups", $"{D}:group1"), "networkName"), "epg group1 network after refused change");
        await VerifyEpgPolicy(D, "group1", "policy1");

        // change policy and verify EPG policy changes
        await CheckCreateEpg(false, D, "contiv", "group3", ["policy1"], [], "");
        await CheckCreateEpg(false, D, "contiv", "group3", ["policy2"], [], "");
        await CheckEpgPolicyDeleted(D, "group3", "policy1");
        await VerifyEpgPolicy(D, "group3", "policy2");

        // a policy in use by a group cannot be deleted
        await CheckDeletePolicy(true, D, "policy2", Conflict);

        // Unlike the original, a group that rules still match on cannot be deleted (no dangling references):
        // the rules that name group1 go first.
        await CheckDeleteEpg(true, D, "contiv", "group1", Conflict, ["group1"]);
        await CheckDeleteRule(false, D, "policy2", "1");
        await CheckDeleteRule(false, D, "policy2", "2");

        // delete the EPG
        await CheckDeleteEpg(false, D, "contiv", "group1");
        await CheckDeleteEpg(false, D, "contiv", "group2");
        await CheckDeleteEpg(false, D, "contiv", "group3");

        // verify epg policies are gone
        await CheckEpgPolicyDeleted(D, "group1", "policy1");
        await CheckEpgPolicyDeleted(D, "group2", "policy2");
        await CheckEpgPolicyDeleted(D, "group3", "policy2");

        // delete the policy (its rules go with it)
        await CheckDeletePolicy(false, D, "policy1");
        await CheckDeletePolicy(false, D, "policy2");
        foreach (var rule in new[] { "policy1:1", "policy1:2", "policy1:3", "policy2:1", "policy2:2", "policy2:3", "policy2:4" })
            ExpectNotFound(await Get("rules", $"{D}:{rule}"), $"get rule {D}:{rule} after deleting its policy");

        // delete the network
        await CheckDeleteNetwork(false, D, "contiv");
        await CheckDeleteNetwork(false, D, "newnet");
    }

    /// <summary>TestEpgnpTenant: netprofiles in a non-default tenant, invalid tenant/network/group names.</summary>
    [Fact]
    public async Task EpgnpTenant()
    {
        const string blue = "epgnpt-blue";
        await ResetGlobalToDefaults();

        // create a network
        await CheckCreateNetwork(false, D, "np-net", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");

        // verify that groups cannot be created with invalid/without tenantname.
        await CheckCreateEpgNp(true, "invalid", "netp", "np-net", "g1", [], NotFound, ["tenant"]);
        await CheckCreateEpgNp(true, "", "netp", "np-net", "g1", []);

        // verify that netprofile can be attached to a tenant.
        await CheckCreateTenant(false, blue);
        await CheckCreateNetwork(false, blue, "netT", "data", "vlan", "10.1.2.1/24", "10.1.2.254", 1, "", "", "");
        await CheckCreateNetProfile(false, 3, 1500, "5Mb", "netprofile", blue);
        await CheckCreateEpgNp(false, blue, "netprofile", "netT", "g1", []);
        await VerifyEpgNetProfile(blue, "g1", "5Mb", 3, 1500);

        // verify that netprofile can be updated which reflects in the attached epg under that tenant.
        await CheckCreateNetProfile(false, 9, 1650, "900Mb", "netprofile", blue);
        await VerifyEpgNetProfile(blue, "g1", "900Mb", 9, 1650);

        // verify that tenant cannot be deleted when it it linked to another network/netprofile.
        await CheckDeleteTenant(true, blue, Conflict, [blue]);

        // detach the netprofile and check.
        await CheckCreateEpgNp(false, blue, "", "netT", "g1", []);
        await CheckVerifyNetProfile(9, 1650, "900Mb", "netprofile", blue);
        await VerifyEpgNetProfile(blue, "g1", "", 0, 0);
        await CheckEpgNetProfileDetached(blue, "g1", "netprofile");

        // verify groups cannot be created with invalid/without networkname.
        await CheckCreateEpgNp(true, D, "netp", "invalid", "g2", [], NotFound);
        await CheckCreateEpgNp(true, D, "netp", "", "g2", []);

        // verify that groups cannot be created with invalid/without group name.
        await CheckCreateEpgNp(true, D, "netp", "np-net", "in_valid", [], BadRequest, ["groupName"]);
        await CheckCreateEpgNp(true, D, "netp", "np-net", "", []);

        // delete netprofile and network
        await CheckDeleteEpg(false, blue, "netT", "g1");
        await CheckDeleteNetProfile(false, "netprofile", blue);
        await CheckDeleteNetwork(false, D, "np-net");
        await CheckDeleteNetwork(false, blue, "netT");
        await CheckDeleteTenant(false, blue);

        // add the same network, netprofile and group to the tenant and verify there are no stale variables left.
        await CheckCreateTenant(false, blue);
        await CheckCreateNetwork(false, blue, "netT", "data", "vlan", "10.1.2.1/24", "10.1.2.254", 1, "", "", "");
        await CheckCreateNetProfile(false, 3, 1500, "5Mb", "netprofile", blue);
        await CheckCreateEpgNp(false, blue, "netprofile", "netT", "g1", []);
        await VerifyEpgNetProfile(blue, "g1", "5Mb", 3, 1500);
        SetEq([$"{blue}:g1"], LinkSet(await GetOk("netprofiles", $"{blue}:netprofile"), "EndpointGroups"),
            "recreated netprofile link-sets.EndpointGroups");

        // delete netprofile and network
        await CheckDeleteEpg(false, blue, "netT", "g1");
        await CheckDeleteNetProfile(false, "netprofile", blue);
        await CheckDeleteNetwork(false, blue, "netT");
        await CheckDeleteTenant(false, blue);
    }

    /// <summary>TestEpgnp: a group cannot name a missing netprofile, and needs none.</summary>
    [Fact]
    public async Task Epgnp()
    {
        await ResetGlobalToDefaults();

        // create a network and netprofile
        await CheckCreateNetwork(false, D, "np-net", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetProfile(false, 5, 1500, "2gbps", "netprofile", D);

        // verify that groups cannot be created with invalid netprofile & can be created without netprofile
        await CheckCreateEpgNp(true, D, "invalid", "np-net", "group1", [], NotFound, ["profile"]);
        ExpectNotFound(await Get("endpointGroups", $"{D}:group1"), "get epg refused for its netprofile");
        await CheckCreateEpgNp(false, D, "", "np-net", "group1", []);

        // delete group, netprofile and network
        await CheckDeleteEpg(false, D, "np-net", "group1");
        await CheckDeleteNetProfile(false, "netprofile", D);
        await CheckDeleteNetwork(false, D, "np-net");
    }

    /// <summary>TestEpgUpdate: attaching, switching and detaching netprofiles on groups; profile updates reach the groups.</summary>
    [Fact]
    public async Task EpgUpdate()
    {
        await ResetGlobalToDefaults();

        // create a network, netprofile and group.
        await CheckCreateNetwork(false, D, "np-net", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetProfile(false, 5, 1500, "2gbps", "netprofile", D);
        await CheckCreateEpgNp(false, D, "", "np-net", "group1", []);

        // update the group and attach a netprofile.
        await CheckCreateEpgNp(false, D, "netprofile", "np-net", "group1", []);
        await VerifyEpgNetProfile(D, "group1", "2gbps", 5, 1500);

        // create another netprofile and group, attach netprofile to that group.
        await CheckCreateNetProfile(false, 2, 1500, "5gbps", "netp", D);
        await CheckCreateEpgNp(false, D, "netp", "np-net", "NpGroup", []);
        await VerifyEpgNetProfile(D, "NpGroup", "5gbps", 2, 1500);

        // update netp and check if group is getting updated.
        await CheckCreateNetProfile(false, 7, 1500, "10gbps", "netp", D);
        await VerifyEpgNetProfile(D, "NpGroup", "10gbps", 7, 1500);

        // attach netp to group1.
        await CheckCreateEpgNp(false, D, "netp", "np-net", "group1", []);
        await VerifyEpgNetProfile(D, "group1", "10gbps", 7, 1500);
        DoesNotContain(LinkSet(await GetOk("netprofiles", $"{D}:netprofile"), "EndpointGroups"), $"{D}:group1",
            "netprofile netprofile link-sets.EndpointGroups after group1 switched away");

        // attach netprofile to Npgroup.
        await CheckCreateEpgNp(false, D, "netprofile", "np-net", "NpGroup", []);
        await VerifyEpgNetProfile(D, "NpGroup", "2gbps", 5, 1500);
        DoesNotContain(LinkSet(await GetOk("netprofiles", $"{D}:netp"), "EndpointGroups"), $"{D}:NpGroup",
            "netprofile netp link-sets.EndpointGroups after NpGroup switched away");

        // detach the netprofile from Npgroup.
        await CheckCreateEpgNp(false, D, "", "np-net", "NpGroup", []);
        await CheckEpgNetProfileDetached(D, "NpGroup", "netprofile");
        await VerifyEpgNetProfile(D, "NpGroup", "", 0, 0);

        // detach the netprofile from group1.
        await CheckCreateEpgNp(false, D, "", "np-net", "group1", []);
        await CheckEpgNetProfileDetached(D, "group1", "netp");
        await VerifyEpgNetProfile(D, "group1", "", 0, 0);

        // attach the netprofile to another group.
        await CheckCreateEpgNp(false, D, "netprofile", "np-net", "group1", []);
        await VerifyEpgNetProfile(D, "group1", "2gbps", 5, 1500);

        // delete the netprofile as no group is using it
        await CheckDeleteNetProfile(false, "netp", D);

        // delete the group and network
        await CheckDeleteEpg(false, D, "np-net", "group1");
        await CheckDeleteEpg(false, D, "np-net", "NpGroup");
        await CheckDeleteNetProfile(false, "netprofile", D);
        await CheckDeleteNetwork(false, D, "np-net");
    }

    /// <summary>TestDeleteEpgNp: a netprofile in use cannot be deleted; detaching frees it.</summary>
    [Fact]
    public async Task DeleteEpgNp()
    {
        await ResetGlobalToDefaults();

        // create a network, netprofile and group.
        await CheckCreateNetwork(false, D, "np-net", "data", "vxlan", "10.1.1.1/24", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetProfile(false, 5, 1500, "2gbps", "netprofile", D);
        await CheckCreateEpgNp(false, D, "netprofile", "np-net", "group1", []);

        // try deleting netprofile when the group is using it
        await CheckDeleteNetProfile(true, "netprofile", D, Conflict);
        await CheckVerifyNetProfile(5, 1500, "2gbps", "netprofile", D);

        // update the group without any netprofile and check if np has been detached.
        await CheckCreateEpgNp(false, D, "", "np-net", "group1", []);
        await CheckEpgNetProfileDetached(D, "group1", "netprofile");

        // delete group, netprofile and network
        await CheckDeleteEpg(false, D, "np-net", "group1");
        await CheckDeleteNetProfile(false, "netprofile", D);
        await CheckDeleteNetwork(false, D, "np-net");
    }
}
