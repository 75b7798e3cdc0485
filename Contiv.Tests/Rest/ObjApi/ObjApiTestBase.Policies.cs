using System.Net;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>Policy and rule check helpers (checkCreatePolicy, checkCreateRule, ...).</summary>
public abstract partial class ObjApiTestBase
{
    /// <summary>checkCreatePolicy</summary>
    protected async Task CheckCreatePolicy(bool expectError, string tenant, string policy, HttpStatusCode? status = null,
        string[]? mentions = null)
    {
        var key = $"{tenant}:{policy}";
        var what = $"create policy {key}";
        var reply = await Post("policys", key, Body(("tenantName", tenant), ("policyName", policy)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        Eq(key, Str(echo, "key"), $"{what}: echo key");
        Eq(tenant, Str(echo, "tenantName"), $"{what}: echo tenantName");
        Eq(policy, Str(echo, "policyName"), $"{what}: echo policyName");
        Eq(tenant, LinkKey(echo, "Tenant"), $"{what}: echo links.Tenant.key");
        var got = await GetOk("policys", key);
        Eq(policy, Str(got, "policyName"), $"get policy {key}: policyName");
        Contains(LinkSet(await GetOk("tenants", tenant), "Policies"), key, $"tenant {tenant} link-sets.Policies");
    }

    /// <summary>checkDeletePolicy</summary>
    protected async Task CheckDeletePolicy(bool expectError, string tenant, string policy, HttpStatusCode? status = null,
        string[]? mentions = null)
    {
        var key = $"{tenant}:{policy}";
        if (!await DeleteAndCheck(expectError, "policys", "policy", key, status, mentions)) return;
        DoesNotContain(LinkSet(await GetOk("tenants", tenant), "Policies"), key, $"tenant {tenant} link-sets.Policies after delete");
    }

    /// <summary>
    /// checkCreateRule(expError, tenant, policy, ruleID, dir, fnet, fepg, fip, tnet, tepg, tip, proto, act, prio, port).
    /// On success also checks the echo, the GET and the rule/policy link-sets; a rule matching a
    /// group gets links.MatchEndpointGroup.
    /// </summary>
    protected async Task CheckCreateRule(bool expectError, string tenant, string policy, string ruleId, string direction,
        string fromNetwork, string fromEpg, string fromIp, string toNetwork, string toEpg, string toIp,
        string protocol, string action, int priority, int port, HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{policy}:{ruleId}";
        var what = $"create rule {key} (dir '{direction}' from net '{fromNetwork}' epg '{fromEpg}' ip '{fromIp}' " +
                   $"to net '{toNetwork}' epg '{toEpg}' ip '{toIp}' proto '{protocol}' action '{action}' prio {priority} port {port})";
        var reply = await Post("rules", key, Body(("tenantName", tenant), ("policyName", policy), ("ruleId", ruleId),
            ("direction", direction), ("priority", priority), ("fromNetwork", fromNetwork), ("fromEndpointGroup", fromEpg),
            ("fromIpAddress", fromIp), ("toNetwork", toNetwork), ("toEndpointGroup", toEpg), ("toIpAddress", toIp),
            ("protocol", protocol), ("port", port), ("action", action)));
        if (expectError)
        {
            ExpectError(reply, what, status, mentions);
            return;
        }
        var echo = ExpectOk(reply, what);
        foreach (var (obj, label) in new[] { (echo, "echo"), (await GetOk("rules", key), "get") })
        {
            var w = $"{what}: {label}";
            Eq(key, Str(obj, "key"), $"{w} key");
            Eq(tenant, Str(obj, "tenantName"), $"{w} tenantName");
            Eq(policy, Str(obj, "policyName"), $"{w} policyName");
            Eq(ruleId, Str(obj, "ruleId"), $"{w} ruleId");
            Eq(direction, Str(obj, "direction"), $"{w} direction");
            Eq(priority == 0 ? 1 : priority, Int(obj, "priority"), $"{w} priority");
            Eq(fromNetwork, Str(obj, "fromNetwork"), $"{w} fromNetwork");
            Eq(fromEpg, Str(obj, "fromEndpointGroup"), $"{w} fromEndpointGroup");
            Eq(toNetwork, Str(obj, "toNetwork"), $"{w} toNetwork");
            Eq(toEpg, Str(obj, "toEndpointGroup"), $"{w} toEndpointGroup");
            // A rule naming a network may get the network's subnet filled in as its ip address.
            if (fromNetwork.Length == 0) Eq(fromIp, Str(obj, "fromIpAddress"), $"{w} fromIpAddress");
            if (toNetwork.Length == 0) Eq(toIp, Str(obj, "toIpAddress"), $"{w} toIpAddress");
            Eq(protocol, Str(obj, "protocol"), $"{w} protocol");
            Eq(port, Int(obj, "port"), $"{w} port");
            Eq(action, Str(obj, "action"), $"{w} action");
            Contains(LinkSet(obj, "Policies"), $"{tenant}:{policy}", $"{w} link-sets.Policies");
            var matchEpg = fromEpg.Length > 0 ? fromEpg : toEpg;
            if (matchEpg.Length > 0)
                Eq($"{tenant}:{matchEpg}", LinkKey(obj, "MatchEndpointGroup"), $"{w} links.MatchEndpointGroup.key");
        }
        var policyObj = await GetOk("policys", $"{tenant}:{policy}");
        Contains(LinkSet(policyObj, "Rules"), key, $"policy {tenant}:{policy} link-sets.Rules");
        CheckLinkSetEntries(policyObj, "Rules", "rule", $"policy {tenant}:{policy}");
    }

    /// <summary>checkDeleteRule</summary>
    protected async Task CheckDeleteRule(bool expectError, string tenant, string policy, string ruleId,
        HttpStatusCode? status = null, string[]? mentions = null)
    {
        var key = $"{tenant}:{policy}:{ruleId}";
        if (!await DeleteAndCheck(expectError, "rules", "rule", key, status, mentions)) return;
        DoesNotContain(LinkSet(await GetOk("policys", $"{tenant}:{policy}"), "Rules"), key,
            $"policy {tenant}:{policy} link-sets.Rules after deleting {key}");
    }
}
