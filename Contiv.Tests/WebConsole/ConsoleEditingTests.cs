using Contiv.Lab;
using System.Net;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Contiv.Tests.WebConsole;

/// <summary>The admin builds a tenant's whole policy through the console, and the REST API holds exactly what was typed.</summary>
[Trait("Category", "Browser")]
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleEditingTests(ConsoleLab lab)
{
    [Fact]
    public async Task A_tenant_network_groups_and_a_policy_with_ordered_rules_made_in_the_console_are_in_the_api()
    {
        await using var page = await lab.LoginAsAdminAsync("editing");

        await page.GoAsync("Tenants");
        await page.SubmitAsync("tenant", new Dictionary<string, string> { ["tenantName"] = "green" });
        await Expect(page.Row("green")).ToBeVisibleAsync();

        await page.GoAsync("Networks");
        await page.SubmitAsync("network", new Dictionary<string, string>
        {
            ["tenantName"] = "green", ["networkName"] = "net1", ["encap"] = "vxlan", ["subnet"] = "10.50.0.0/16", ["gateway"] = "10.50.0.1",
        });
        await Expect(page.Row("green:net1")).ToContainTextAsync("10.50.0.0/16");

        await page.GoAsync("Endpoint groups");
        foreach (var group in new[] { "web", "db" })
        {
            await page.SubmitAsync("endpoint group", new Dictionary<string, string>
            {
                ["tenantName"] = "green", ["groupName"] = group, ["networkName"] = "net1",
            });
            await Expect(page.Row($"green:{group}")).ToBeVisibleAsync();
        }

        await page.GoAsync("Policies");
        await page.SubmitAsync("policy", new Dictionary<string, string> { ["tenantName"] = "green", ["policyName"] = "web-db" });
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Rules of green:web-db" }).ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "Rules of policy green:web-db" })).ToBeVisibleAsync();
        await page.SubmitAsync("rule", new Dictionary<string, string>
        {
            ["ruleId"] = "2", ["priority"] = "1", ["direction"] = "in", ["action"] = "deny",
        });
        await page.SubmitAsync("rule", new Dictionary<string, string>
        {
            ["ruleId"] = "1", ["priority"] = "10", ["direction"] = "in", ["action"] = "allow", ["protocol"] = "tcp", ["port"] = "5432",
            ["fromEndpointGroup"] = "web",
        });
        // The table is in match order: the priority-10 allow above the priority-1 deny, whatever order they were added in.
        var rules = page.Page.Locator("table[aria-label='Rules of green:web-db'] tbody tr");
        await Expect(rules).ToHaveCountAsync(2);
        await Expect(rules.Nth(0)).ToHaveAttributeAsync("data-key", "green:web-db:1");
        await Expect(rules.Nth(1)).ToHaveAttributeAsync("data-key", "green:web-db:2");

        // Edit a rule in place: the deny becomes a udp deny.
        await rules.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Edit rule 2" }).ClickAsync();
        await Expect(page.Field("rule", "ruleId")).ToBeDisabledAsync();
        await page.SubmitAsync("rule", new Dictionary<string, string> { ["protocol"] = "udp" });
        await Expect(rules.Nth(1)).ToContainTextAsync("udp");

        // Attach the policy to db by editing the group.
        await page.GoAsync("Endpoint groups");
        await page.Row("green:db").GetByRole(AriaRole.Button, new() { Name = "Edit green:db" }).ClickAsync();
        await page.SubmitAsync("endpoint group", new Dictionary<string, string> { ["policies"] = "web-db" });
        await Expect(page.Row("green:db")).ToContainTextAsync("web-db");
        await page.ScreenshotAsync("groups");

        var network = await lab.Rest.Get("networks", "green:net1");
        Assert.Equal(HttpStatusCode.OK, network.Status);
        Assert.Equal("10.50.0.1", network.Json["gateway"]!.GetValue<string>());
        Assert.Equal("vxlan", network.Json["encap"]!.GetValue<string>());
        var allow = (await lab.Rest.Get("rules", "green:web-db:1")).Json;
        Assert.Equal(("allow", "tcp", 5432, 10, "web"), (allow["action"]!.GetValue<string>(), allow["protocol"]!.GetValue<string>(),
            allow["port"]!.GetValue<int>(), allow["priority"]!.GetValue<int>(), allow["fromEndpointGroup"]!.GetValue<string>()));
        var deny = (await lab.Rest.Get("rules", "green:web-db:2")).Json;
        Assert.Equal(("deny", "udp", 1), (deny["action"]!.GetValue<string>(), deny["protocol"]!.GetValue<string>(), deny["priority"]!.GetValue<int>()));
        var db = (await lab.Rest.Get("endpointGroups", "green:db")).Json;
        Assert.Equal(["web-db"], db["policies"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("net1", db["networkName"]!.GetValue<string>());

        // Delete asks twice, then the rule is gone from the page and from the API.
        await page.GoAsync("Policies");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Rules of green:web-db" }).ClickAsync();
        var deleteRule = page.Page.GetByRole(AriaRole.Button, new() { Name = "Delete rule 2" });
        await deleteRule.ClickAsync();
        await Expect(deleteRule).ToHaveTextAsync("Confirm delete");
        Assert.Equal(HttpStatusCode.OK, (await lab.Rest.Get("rules", "green:web-db:2")).Status);
        await deleteRule.ClickAsync();
        await Expect(rules).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.NotFound, (await lab.Rest.Get("rules", "green:web-db:2")).Status);
        await page.ScreenshotAsync("rules");
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task A_refused_field_shows_the_apis_message_next_to_it_and_nothing_is_created()
    {
        await using var page = await lab.LoginAsAdminAsync("validation");
        await page.GoAsync("Networks");
        page.Expect("/api/v1/networks/blue:bad/ -> 400");
        await page.SubmitAsync("network", new Dictionary<string, string>
        {
            ["tenantName"] = "blue", ["networkName"] = "bad", ["encap"] = "vlan", ["subnet"] = "10.60.0.0/33",
        });
        var subnetError = page.FieldError("network", "subnet");
        await Expect(subnetError).ToContainTextAsync("subnet");
        await Expect(page.Field("network", "subnet")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Field("network", "subnet")).ToBeFocusedAsync();
        await Expect(page.FieldError("network", "networkName")).ToBeEmptyAsync();
        await page.ScreenshotAsync("subnet-refused");
        Assert.Equal(HttpStatusCode.NotFound, (await lab.Rest.Get("networks", "blue:bad")).Status);
        var apiSays = await lab.Rest.Post("networks", "blue:bad", new { tenantName = "blue", networkName = "bad", encap = "vlan", subnet = "10.60.0.0/33" });
        Assert.Equal(HttpStatusCode.BadRequest, apiSays.Status);
        await Expect(subnetError).ToHaveTextAsync(apiSays.Body.Trim());

        // Fixing the field clears its message and saves.
        await page.SubmitAsync("network", new Dictionary<string, string> { ["subnet"] = "10.60.0.0/24" });
        await Expect(subnetError).ToBeEmptyAsync();
        await Expect(page.Row("blue:bad")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, (await lab.Rest.Get("networks", "blue:bad")).Status);
        Assert.Empty(page.Problems);
    }
}
