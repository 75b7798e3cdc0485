using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>Ports of TestTenantDelete and TestTenantAddDelete.</summary>
[Collection("objapi")]
public sealed class TenantTests(ObjApiMaster master) : ObjApiTestBase(master)
{
    /// <summary>TestTenantDelete: a tenant cannot be deleted while app profiles, groups or networks use it.</summary>
    [Fact]
    public async Task TenantDelete()
    {
        const string t = "tdel-tenant1";
        await ResetGlobalToDefaults();

        // Create one tenant, two networks and 3 epgs
        await CheckCreateTenant(false, t);
        await CheckCreateNetwork(false, t, "net1", "data", "vlan", "10.1.1.1/16", "10.1.1.254", 1, "", "", "");
        await CheckCreateNetwork(false, t, "net2", "data", "vlan", "20.1.1.1/16", "20.1.1.254", 2, "", "", "test-tag");
        await VerifyNetworkState(t, "net1", "data", "vlan", "10.1.1.1/16", "10.1.1.254", 1, 0, "", "");
        await VerifyNetworkState(t, "net2", "data", "vlan", "20.1.1.1/16", "20.1.1.254", 2, 0, "", "", cfgdTag: "test-tag");
        await CheckCreateEpg(false, t, "net1", "group1", [], [], "");
        await CheckCreateEpg(false, t, "net1", "group2", [], [], "");
        await CheckCreateEpg(false, t, "net2", "group3", [], [], "epg-tag");

        // The group tag is the configured tag, or group.tenant.
        var (_, g1) = await InspectOk("endpointGroups", $"{t}:group1");
        Eq($"group1.{t}", Str(g1, "groupTag"), "inspect epg group1: Oper.groupTag");
        var (_, g3) = await InspectOk("endpointGroups", $"{t}:group3");
        Eq("epg-tag", Str(g3, "groupTag"), "inspect epg group3: Oper.groupTag");

        await CheckCreateAppProfile(false, t, "profile1", []);
        await CheckCreateAppProfile(false, t, "profile2", ["group1"]);
        await CheckCreateAppProfile(false, t, "profile3", ["group1", "group3"]);

        // Verify that tenant can not be deleted while app-profile is attached to it
        await CheckDeleteTenant(true, t, Conflict, [t]);
        // Delete app-Profiles now
        await CheckDeleteAppProfile(false, t, "profile1");
        await CheckDeleteAppProfile(false, t, "profile2");
        await CheckDeleteAppProfile(false, t, "profile3");

        // Verify that tenant can not deleted while EPGs are attached to it.
        await CheckDeleteTenant(true, t, Conflict, [t]);
        // Delete EPGs
        await CheckDeleteEpg(false, t, "net1", "group1");
        await CheckDeleteEpg(false, t, "net1", "group2");
        await CheckDeleteEpg(false, t, "net2", "group3");

        // Verify that tenant can not deleted while Networks are attached to it.
        await CheckDeleteTenant(true, t, Conflict, [t]);
        // Delete Networks
        await CheckDeleteNetwork(false, t, "net1");
        await CheckDeleteNetwork(false, t, "net2");

        // Verify that tenant can be delete now
        await CheckDeleteTenant(false, t);
    }

    /// <summary>TestTenantAddDelete: create, get, invalid names, delete.</summary>
    [Fact]
    public async Task TenantAddDelete()
    {
        const string t1 = "tadd-tenant1";
        const string valid = "tadd-tenant-valid";

        await CheckCreateTenant(false, t1);
        await CheckCreateTenant(false, valid);

        // Get the tenant and verify it exists
        var got = await GetOk("tenants", t1);
        Eq(t1, Str(got, "tenantName"), "get tenant: tenantName");

        // Try creating invalid names and verify we get an error. A ':' also splits the URL key,
        // so for that one only the 400 is required, not the field name.
        await CheckCreateTenant(true, "tenant:invalid", BadRequest);
        foreach (var name in new[]
                 {
                     "tenant|invalid", "tenant\\invalid", "tenant#invalid", "-tenant", "tenant@invalid",
                     "tenant!invalid", "tenant~invalid", "tenant*invalid", "tenant^invalid",
                 })
        {
            await CheckCreateTenant(true, name, BadRequest, ["tenantName"]);
        }

        // delete tenant
        await CheckDeleteTenant(false, t1);
        await CheckDeleteTenant(false, valid);

        // find again and make sure its gone
        ExpectNotFound(await Get("tenants", t1), "get deleted tenant");
        // deleting it again is a not-found
        await CheckDeleteTenant(true, t1, NotFound);
    }
}
