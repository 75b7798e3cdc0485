using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>
/// Port of TestPolicyRules. The original also wrote an endpoint (10.1.1.15 in group1) straight into
/// the state store to create a rule whose to-ip matches it; endpoints need host agents, so that one
/// successful "to-ip" rule is left out here; its two refusals are kept.
/// </summary>
[Collection("objapi")]
public sealed class PolicyRuleTests(ObjApiMaster master) : ObjApiTestBase(master)
{
    private const string D = "default";

    [Fact]
    public async Task PolicyRules()
    {
        await ResetGlobalToDefaults();

        await CheckCreateNetwork(false, D, "contiv", "data", "vxlan", "10.1.1.1/16", "10.1.1.254", 1, "", "", "");
        await CheckCreateEpg(false, D, "contiv", "group1", [], [], "");

        // create policy
        await CheckCreatePolicy(false, D, "policy1");

        // verify policy on unknown tenant fails
        await CheckCreatePolicy(true, "pr-tenant1", "policy1", NotFound, ["tenant"]);

        // add rules
        await CheckCreateRule(false, D, "policy1", "1", "in", "", "", "", "", "", "", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy1", "2", "in", "", "", "", "", "", "", "", "deny", 1, 0);
        await CheckCreateRule(false, D, "policy1", "3", "out", "", "", "", "", "", "", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy1", "4", "in", "", "", "10.1.1.1/24", "", "", "", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy1", "5", "out", "", "", "", "", "", "10.1.1.1/24", "tcp", "allow", 1, 80);
        await CheckCreateRule(false, D, "policy1", "6", "in", "", "group1", "", "", "", "", "", "deny", 1, 0);
        await CheckCreateRule(false, D, "policy1", "7", "out", "", "", "", "", "group1", "", "tcp", "allow", 1, 80);
        // the matched group lists the rules that match on it
        var group1 = await GetOk("endpointGroups", $"{D}:group1");
        SetEq([$"{D}:policy1:6", $"{D}:policy1:7"], LinkSet(group1, "MatchRules"), "epg group1 link-sets.MatchRules");
        SetEq(new[] { "1", "2", "3", "4", "5", "6", "7" }.Select(r => $"{D}:policy1:{r}"),
            LinkSet(await GetOk("policys", $"{D}:policy1"), "Rules"), "policy1 link-sets.Rules");

        // verify --to-ip (incoming rule), no linked epg fails
        await CheckCreateRule(true, D, "policy1", "to-ip", "in", "", "", "10.1.1.15", "", "", "10.2.1.31", "tcp", "allow", 1, 80);
        // verify --to-ip not in epg fails
        await CheckCreateEpg(false, D, "contiv", "group1", ["policy1"], [], "");
        await CheckCreateRule(true, D, "policy1", "to-ip", "in", "", "", "10.2.1.115", "", "", "10.1.1.19", "tcp", "allow", 1, 80);
        ExpectNotFound(await Get("rules", $"{D}:policy1:to-ip"), "get refused to-ip rule");
        await CheckCreateEpg(false, D, "contiv", "group1", [], [], "");

        // verify duplicate rule id fails (a rule cannot be changed after it is created)
        await CheckCreateRule(true, D, "policy1", "1", "in", "", "", "", "", "", "", "tcp", "allow", 1, 80, Conflict, ["rule"]);

        // verify unknown directions fail
        await CheckCreateRule(true, D, "policy1", "100", "both", "", "", "", "", "", "", "tcp", "allow", 1, 0, BadRequest, ["direction"]);
        await CheckCreateRule(true, D, "policy1", "100", "xyz", "", "", "", "", "", "", "tcp", "allow", 1, 0, BadRequest, ["direction"]);

        // verify unknown protocol fails
        await CheckCreateRule(true, D, "policy1", "100", "in", "", "", "", "", "", "", "xyz", "allow", 1, 80, BadRequest, ["protocol"]);

        // verify unknown action fails
        await CheckCreateRule(true, D, "policy1", "100", "in", "", "", "", "", "", "", "tcp", "xyz", 1, 80, BadRequest, ["action"]);
        await CheckCreateRule(true, D, "policy1", "100", "in", "", "", "", "", "", "", "tcp", "accept", 1, 80, BadRequest, ["action"]);

        // verify rule on unknown tenant/policy fails
        await CheckCreateRule(true, D, "policy2", "100", "in", "", "", "", "", "", "", "", "allow", 1, 0, NotFound, ["policy"]);
        await CheckCreateRule(true, "pr-tenant", "policy1", "100", "in", "", "", "", "", "", "", "", "allow", 1, 0, NotFound);

        // verify invalid to/from and direction combos fail
        await CheckCreateRule(true, D, "policy1", "100", "in", "", "", "", "invalid", "", "", "tcp", "allow", 1, 80, BadRequest);
        await CheckCreateRule(true, D, "policy1", "100", "in", "", "", "", "", "invalid", "", "tcp", "allow", 1, 80, BadRequest);
        await CheckCreateRule(true, D, "policy1", "100", "in", "", "", "", "", "", "invalid", "tcp", "allow", 1, 80, BadRequest);
        await CheckCreateRule(true, D, "policy1", "100", "out", "invalid", "", "", "", "", "", "tcp", "allow", 1, 80, BadRequest);
        await CheckCreateRule(true, D, "policy1", "100", "out", "", "invalid", "", "", "", "", "tcp", "allow", 1, 80, BadRequest);
        await CheckCreateRule(true, D, "policy1", "100", "out", "", "", "invalid", "", "", "", "tcp", "allow", 1, 80, BadRequest);

        // verify cant specify both from/to network and from/to ip addresses
        await CheckCreateRule(true, D, "policy1", "100", "in", "contiv", "", "10.1.1.1/24", "", "", "", "tcp", "allow", 1, 80, BadRequest);
        await CheckCreateRule(true, D, "policy1", "100", "out", "", "", "", "contiv", "", "10.1.1.1/24", "tcp", "allow", 1, 80, BadRequest);

        // verify specifying epg and network fails
        await CheckCreateRule(true, D, "policy1", "100", "in", "contiv", "group1", "", "", "", "", "tcp", "allow", 1, 80, BadRequest);
        await CheckCreateRule(true, D, "policy1", "100", "out", "", "", "", "contiv", "group1", "", "tcp", "allow", 1, 80, BadRequest);

        // verify cant match on non-existing networks
        await CheckCreateRule(true, D, "policy1", "100", "in", "invalid", "", "", "", "", "", "tcp", "allow", 1, 80, NotFound, ["network"]);
        await CheckCreateRule(true, D, "policy1", "100", "out", "", "", "", "invalid", "", "", "tcp", "allow", 1, 80, NotFound, ["network"]);

        // verify cant match on non-existing EPGs
        await CheckCreateRule(true, D, "policy1", "100", "in", "", "invalid", "", "", "", "", "tcp", "allow", 1, 80, NotFound, ["group"]);
        await CheckCreateRule(true, D, "policy1", "100", "out", "", "", "", "", "invalid", "", "tcp", "allow", 1, 80, NotFound, ["group"]);

        // nothing of the refused rules was stored
        ExpectNotFound(await Get("rules", $"{D}:policy1:100"), "get refused rule 100");
        SetEq(new[] { "1", "2", "3", "4", "5", "6", "7" }.Select(r => $"{D}:policy1:{r}"),
            LinkSet(await GetOk("policys", $"{D}:policy1"), "Rules"), "policy1 link-sets.Rules after refusals");

        // delete rules
        foreach (var rule in new[] { "1", "2", "3", "4", "5", "6", "7" })
            await CheckDeleteRule(false, D, "policy1", rule);
        group1 = await GetOk("endpointGroups", $"{D}:group1");
        Eq(0, LinkSet(group1, "MatchRules").Length, "epg group1 link-sets.MatchRules after deleting the rules");

        // verify cant delete a rule and policy that doesnt exist
        await CheckDeleteRule(true, D, "policy1", "100", NotFound);
        await CheckDeletePolicy(true, D, "policy2", NotFound);

        // delete policy
        await CheckDeletePolicy(false, D, "policy1");

        // delete the EPG
        await CheckDeleteEpg(false, D, "contiv", "group1");
        // delete the network
        await CheckDeleteNetwork(false, D, "contiv");
    }
}
