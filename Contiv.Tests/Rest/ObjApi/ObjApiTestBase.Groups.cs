using System.Net;
using System.Text.Json.Nodes;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>
/// Endpoint group, app profile, netprofile and external contracts group check helpers.
/// Where the original read the master's internal state (EPG policy maps, the EPG's bandwidth),
/// these check the same facts through links, link-sets and the attached objects.
/// </summary>
public abstract partial class ObjApiTestBase
{
    // ------------------------------------------------------------------ endpoint groups

    /// <summary>checkCreateEpg(expError, tenant, network, group, policies, extContracts, groupTag)</summary>
    protected Task CheckCreateEpg(bool expectError, string tenant, string network, string group, string[] policies,
        string[] extContracts, string cfgdTag, HttpStatusCode? status = null, string[]? mentions = null) =>
        PostEpg(expectError, tenant, network, group, policies, extContracts, cfgdTag, netProfile: "", status, mentions);

    /// <summary>checkCreateEpgNp(expError, tenant, profileName, network, group, extContracts)</summary>
    protected Task CheckCreateEpgNp(bool expectError, string tenant, string netProfile, string network, string group,
        string[] extContracts, HttpStatusCode? status = null, string[]? mentions = null) =>
        PostEpg(expectError, tenant, network, group, [], extContracts, cfgdTag: "", netProfile, status, mentions);

    private async Task PostEpg(bool expectError, string tenant, string network, string group, string[] policies,
        string[] extContracts, string cfgdTag, string netProfile, HttpStatusCode? status, string[]? mentions)
    {
        var key = $"{tenant}:{group}";
        var what = $"create epg {key} (network '{network}' policies [{string.Join(",", policies)}] " +
                   $"contracts [{string.Join(",", extContracts)}] netProfile '{netProfile}' cfgdTag '{cfgdTag}')";
        var reply = await Post("endpointGroups", key, Body(("tenantName", tenant), ("networkName", network),
            ("groupName", group), ("policies", policies), ("extContractsGrps", extContracts), ("netProfile", netProfile),
            ("cfgdTag", cfgdTag)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        var got = await GetOk("endpointGroups", key);
        foreach (var (obj, label) in new[] { (echo, "echo"), (got, "get") })
        {
            var w = $"{what}: {label}";
            Eq(key, Str(obj, "key"), $"{w} key");
            Eq(tenant, Str(obj, "tenantName"), $"{w} tenantName");
            Eq(group, Str(obj, "groupName"), $"{w} groupName");
            Eq(network, Str(obj, "networkName"), $"{w} networkName");
            SetEq(policies, List(obj, "policies"), $"{w} policies");
            SetEq(extContracts, List(obj, "extContractsGrps"), $"{w} extContractsGrps");
            Eq(netProfile, Str(obj, "netProfile"), $"{w} netProfile");
            Eq(cfgdTag, Str(obj, "cfgdTag"), $"{w} cfgdTag");
            Eq(tenant, LinkKey(obj, "Tenant"), $"{w} links.Tenant.key");
            Eq($"{tenant}:{network}", LinkKey(obj, "Network"), $"{w} links.Network.key");
            Eq("network", LinkType(obj, "Network"), $"{w} links.Network.type");
            Eq(netProfile.Length > 0 ? $"{tenant}:{netProfile}" : "", LinkKey(obj, "NetProfile"), $"{w} links.NetProfile.key");
            SetEq(policies.Select(p => $"{tenant}:{p}"), LinkSet(obj, "Policies"), $"{w} link-sets.Policies");
            CheckLinkSetEntries(obj, "Policies", "policy", w);
            SetEq(extContracts.Select(c => $"{tenant}:{c}"), LinkSet(obj, "ExtContractsGrps"), $"{w} link-sets.ExtContractsGrps");
        }
        Contains(LinkSet(await GetOk("networks", $"{tenant}:{network}"), "EndpointGroups"), key,
            $"network {tenant}:{network} link-sets.EndpointGroups");
        Contains(LinkSet(await GetOk("tenants", tenant), "EndpointGroups"), key, $"tenant {tenant} link-sets.EndpointGroups");
        foreach (var policy in policies)
            Contains(LinkSet(await GetOk("policys", $"{tenant}:{policy}"), "EndpointGroups"), key,
                $"policy {tenant}:{policy} link-sets.EndpointGroups");
        foreach (var contracts in extContracts)
            Contains(LinkSet(await GetOk("extContractsGroups", $"{tenant}:{contracts}"), "EndpointGroups"), key,
                $"extContractsGroup {tenant}:{contracts} link-sets.EndpointGroups");
    }

    /// <summary>checkDeleteEpg: on success the group is gone and unlinked from its network and tenant.</summary>
    protected async Task CheckDeleteEpg(bool expectError, string tenant, string network, string group,
        HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{group}";
        if (!await DeleteAndCheck(expectError, "endpointGroups", "epg", key, status, mentions, stillThereWhenRefused: true)) return;
        if (network.Length > 0)
            DoesNotContain(LinkSet(await GetOk("networks", $"{tenant}:{network}"), "EndpointGroups"), key,
                $"network {tenant}:{network} link-sets.EndpointGroups after deleting {key}");
        DoesNotContain(LinkSet(await GetOk("tenants", tenant), "EndpointGroups"), key,
            $"tenant {tenant} link-sets.EndpointGroups after deleting {key}");
    }

    /// <summary>
    /// verifyEpgPolicy: the group lists the policy and both sides are linked
    /// (epg link-sets.Policies, policy link-sets.EndpointGroups).
    /// </summary>
    protected async Task VerifyEpgPolicy(string tenant, string group, string policy)
    {
        var epgKey = $"{tenant}:{group}";
        var policyKey = $"{tenant}:{policy}";
        var epg = await GetOk("endpointGroups", epgKey);
        Contains(List(epg, "policies"), policy, $"epg {epgKey} policies");
        Contains(LinkSet(epg, "Policies"), policyKey, $"epg {epgKey} link-sets.Policies");
        var pol = await GetOk("policys", policyKey);
        Contains(LinkSet(pol, "EndpointGroups"), epgKey, $"policy {policyKey} link-sets.EndpointGroups");
    }

    /// <summary>checkEpgPolicyDeleted: no link left between the group and the policy (on whichever side still exists).</summary>
    protected async Task CheckEpgPolicyDeleted(string tenant, string group, string policy)
    {
        var epgKey = $"{tenant}:{group}";
        var policyKey = $"{tenant}:{policy}";
        var epgReply = await Get("endpointGroups", epgKey);
        if (epgReply.Status == HttpStatusCode.OK)
        {
            var epg = ExpectOk(epgReply, $"get epg {epgKey}");
            DoesNotContain(List(epg, "policies"), policy, $"epg {epgKey} policies");
            DoesNotContain(LinkSet(epg, "Policies"), policyKey, $"epg {epgKey} link-sets.Policies");
        }
        else
        {
            ExpectNotFound(epgReply, $"get epg {epgKey}");
        }
        var pol = await GetOk("policys", policyKey);
        DoesNotContain(LinkSet(pol, "EndpointGroups"), epgKey, $"policy {policyKey} link-sets.EndpointGroups");
    }

    /// <summary>
    /// verifyEpgnetProfile(tenant, group, bandwidth, DSCP, burst): the original read the bandwidth/DSCP/burst
    /// applied to the group's state. Through REST: the netprofile the group names (and links) must carry
    /// those values and list the group; when all expected values are empty the group must have no netprofile.
    /// </summary>
    protected async Task VerifyEpgNetProfile(string tenant, string group, string bandwidth, int dscp, int burst)
    {
        var epgKey = $"{tenant}:{group}";
        var epg = await GetOk("endpointGroups", epgKey);
        var profile = Str(epg, "netProfile");
        if (profile.Length == 0)
        {
            if (bandwidth.Length > 0 || dscp != 0 || burst != 0)
                Xunit.Assert.Fail($"epg {epgKey} has no netProfile; expected bandwidth '{bandwidth}' DSCP {dscp} burst {burst}");
            Eq("", LinkKey(epg, "NetProfile"), $"epg {epgKey} links.NetProfile.key");
            return;
        }
        var profileKey = $"{tenant}:{profile}";
        Eq(profileKey, LinkKey(epg, "NetProfile"), $"epg {epgKey} links.NetProfile.key");
        var np = await GetOk("netprofiles", profileKey);
        Eq(bandwidth, Str(np, "bandwidth"), $"epg {epgKey} netprofile {profileKey} bandwidth");
        Eq(dscp, Int(np, "DSCP"), $"epg {epgKey} netprofile {profileKey} DSCP");
        Eq(burst, Int(np, "burst"), $"epg {epgKey} netprofile {profileKey} burst");
        Contains(LinkSet(np, "EndpointGroups"), epgKey, $"netprofile {profileKey} link-sets.EndpointGroups");
    }

    /// <summary>checkEpgnetProfileDetached: the group names no netprofile and the old profile no longer lists it.</summary>
    protected async Task CheckEpgNetProfileDetached(string tenant, string group, string oldProfile)
    {
        var epgKey = $"{tenant}:{group}";
        var epg = await GetOk("endpointGroups", epgKey);
        Eq("", Str(epg, "netProfile"), $"epg {epgKey} netProfile after detaching");
        Eq("", LinkKey(epg, "NetProfile"), $"epg {epgKey} links.NetProfile.key after detaching");
        var np = await GetOk("netprofiles", $"{tenant}:{oldProfile}");
        DoesNotContain(LinkSet(np, "EndpointGroups"), epgKey, $"netprofile {tenant}:{oldProfile} link-sets.EndpointGroups");
    }

    // ------------------------------------------------------------------ app profiles

    /// <summary>checkCreateAppProfile: on success every member group links back (links.AppProfile).</summary>
    protected async Task CheckCreateAppProfile(bool expectError, string tenant, string profile, string[] groups,
        HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{profile}";
        var what = $"create appProfile {key} [{string.Join(",", groups)}]";
        var reply = await Post("appProfiles", key, Body(("tenantName", tenant), ("appProfileName", profile),
            ("endpointGroups", groups)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        var got = await GetOk("appProfiles", key);
        foreach (var (obj, label) in new[] { (echo, "echo"), (got, "get") })
        {
            var w = $"{what}: {label}";
            Eq(key, Str(obj, "key"), $"{w} key");
            Eq(tenant, Str(obj, "tenantName"), $"{w} tenantName");
            Eq(profile, Str(obj, "appProfileName"), $"{w} appProfileName");
            SetEq(groups, List(obj, "endpointGroups"), $"{w} endpointGroups");
            Eq(tenant, LinkKey(obj, "Tenant"), $"{w} links.Tenant.key");
            SetEq(groups.Select(g => $"{tenant}:{g}"), LinkSet(obj, "EndpointGroups"), $"{w} link-sets.EndpointGroups");
        }
        foreach (var group in groups)
            Eq(key, LinkKey(await GetOk("endpointGroups", $"{tenant}:{group}"), "AppProfile"),
                $"epg {tenant}:{group} links.AppProfile.key");
        Contains(LinkSet(await GetOk("tenants", tenant), "AppProfiles"), key, $"tenant {tenant} link-sets.AppProfiles");
    }

    /// <summary>verifyAppProfile: the stored member list; with expectError the profile must not exist.</summary>
    protected async Task VerifyAppProfile(bool expectError, string tenant, string profile, string[] groups)
    {
        var key = $"{tenant}:{profile}";
        var reply = await Get("appProfiles", key);
        if (expectError)
        {
            ExpectNotFound(reply, $"get appProfile {key} (its create failed)");
            return;
        }
        var got = ExpectOk(reply, $"get appProfile {key}");
        SetEq(groups, List(got, "endpointGroups"), $"appProfile {key} endpointGroups");
    }

    /// <summary>checkDeleteAppProfile: on success the member groups are unlinked.</summary>
    protected async Task CheckDeleteAppProfile(bool expectError, string tenant, string profile,
        HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{profile}";
        var before = await Get("appProfiles", key);
        var members = before.Status == HttpStatusCode.OK ? List(JsonNode.Parse(before.Body), "endpointGroups") : [];
        if (!await DeleteAndCheck(expectError, "appProfiles", "appProfile", key, status, mentions)) return;
        foreach (var group in members)
            Eq("", LinkKey(await GetOk("endpointGroups", $"{tenant}:{group}"), "AppProfile"),
                $"epg {tenant}:{group} links.AppProfile.key after deleting {key}");
        DoesNotContain(LinkSet(await GetOk("tenants", tenant), "AppProfiles"), key, $"tenant {tenant} link-sets.AppProfiles");
    }

    // ------------------------------------------------------------------ netprofiles

    /// <summary>checkCreateNetProfile(expError, dscp, burst, bandwidth, profileName, tenantName)</summary>
    protected async Task CheckCreateNetProfile(bool expectError, int dscp, int burst, string bandwidth, string profile,
        string tenant, HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{profile}";
        var what = $"create netprofile {key} (DSCP {dscp} burst {burst} bandwidth '{bandwidth}')";
        var reply = await Post("netprofiles", key, Body(("tenantName", tenant), ("profileName", profile),
            ("bandwidth", bandwidth), ("DSCP", dscp), ("burst", burst)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        Eq(key, Str(echo, "key"), $"{what}: echo key");
        Eq(tenant, Str(echo, "tenantName"), $"{what}: echo tenantName");
        Eq(profile, Str(echo, "profileName"), $"{what}: echo profileName");
        Eq(bandwidth, Str(echo, "bandwidth"), $"{what}: echo bandwidth");
        Eq(dscp, Int(echo, "DSCP"), $"{what}: echo DSCP");
        Eq(burst, Int(echo, "burst"), $"{what}: echo burst");
        Eq(tenant, LinkKey(echo, "Tenant"), $"{what}: echo links.Tenant.key");
        await CheckVerifyNetProfile(dscp, burst, bandwidth, profile, tenant);
        Contains(LinkSet(await GetOk("tenants", tenant), "NetProfiles"), key, $"tenant {tenant} link-sets.NetProfiles");
    }

    /// <summary>checkverifyNetProfile: the stored bandwidth, DSCP and burst.</summary>
    protected async Task CheckVerifyNetProfile(int dscp, int burst, string bandwidth, string profile, string tenant)
    {
        var key = $"{tenant}:{profile}";
        var got = await GetOk("netprofiles", key);
        Eq(bandwidth, Str(got, "bandwidth"), $"netprofile {key} bandwidth");
        Eq(dscp, Int(got, "DSCP"), $"netprofile {key} DSCP");
        Eq(burst, Int(got, "burst"), $"netprofile {key} burst");
    }

    /// <summary>checkDeleteNetProfile(expError, profileName, tenantName)</summary>
    protected async Task CheckDeleteNetProfile(bool expectError, string profile, string tenant,
        HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{profile}";
        if (!await DeleteAndCheck(expectError, "netprofiles", "netprofile", key, status, mentions)) return;
        DoesNotContain(LinkSet(await GetOk("tenants", tenant), "NetProfiles"), key, $"tenant {tenant} link-sets.NetProfiles");
    }

    // ------------------------------------------------------------------ external contracts groups

    /// <summary>checkCreateExtContractsGrp</summary>
    protected async Task CheckCreateExtContractsGrp(bool expectError, string tenant, string name, string type,
        string[] contracts, HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{name}";
        var what = $"create extContractsGroup {key} ({type})";
        var reply = await Post("extContractsGroups", key, Body(("tenantName", tenant), ("contractsGroupName", name),
            ("contractsType", type), ("contracts", contracts)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        var got = await GetOk("extContractsGroups", key);
        foreach (var (obj, label) in new[] { (echo, "echo"), (got, "get") })
        {
            var w = $"{what}: {label}";
            Eq(key, Str(obj, "key"), $"{w} key");
            Eq(tenant, Str(obj, "tenantName"), $"{w} tenantName");
            Eq(name, Str(obj, "contractsGroupName"), $"{w} contractsGroupName");
            Eq(type, Str(obj, "contractsType"), $"{w} contractsType");
            SeqEq(contracts, List(obj, "contracts"), $"{w} contracts");
        }
    }

    /// <summary>checkDeleteExtContractsGrp</summary>
    protected async Task CheckDeleteExtContractsGrp(bool expectError, string tenant, string name,
        HttpStatusCode? status = null, string[]? mentions = null) =>
        await DeleteAndCheck(expectError, "extContractsGroups", "extContractsGroup", $"{tenant}:{name}", status, mentions, stillThereWhenRefused: true);
}
