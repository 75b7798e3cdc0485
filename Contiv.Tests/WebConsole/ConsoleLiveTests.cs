using Contiv.Lab;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Contiv.Tests.WebConsole;

/// <summary>Changes made elsewhere appear in an open page without a reload; an ops user sees only its tenant, read-only elsewhere.</summary>
[Trait("Category", "Browser")]
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleLiveTests(ConsoleLab lab)
{
    [Fact]
    public async Task A_change_made_through_rest_appears_in_an_open_page_without_a_reload()
    {
        await using var page = await lab.LoginAsAdminAsync("live");
        await page.GoAsync("Networks");
        await page.Page.EvaluateAsync("() => { window.notReloaded = true; }");

        lab.Must(await lab.Rest.Post("networks", "red:pushed", new { tenantName = "red", networkName = "pushed", encap = "vlan", subnet = "10.70.0.0/24" }));
        await Expect(page.Row("red:pushed")).ToContainTextAsync("10.70.0.0/24");

        await page.GoAsync("Endpoint groups");
        lab.Must(await lab.Rest.Post("policys", "red:p1", new { tenantName = "red", policyName = "p1" }));
        lab.Must(await lab.Rest.Post("endpointGroups", "red:g", new { tenantName = "red", groupName = "g", networkName = "pushed" }));
        await Expect(page.Row("red:g")).ToContainTextAsync("pushed");
        lab.Must(await lab.Rest.Post("endpointGroups", "red:g", new { tenantName = "red", groupName = "g", networkName = "pushed", policies = new[] { "p1" } }));
        await Expect(page.Row("red:g")).ToContainTextAsync("p1");
        lab.Must(await lab.Rest.Delete("endpointGroups", "red:g"));
        await Expect(page.Row("red:g")).ToHaveCountAsync(0);
        lab.Must(await lab.Rest.Delete("policys", "red:p1"));

        await page.GoAsync("Networks");
        lab.Must(await lab.Rest.Delete("networks", "red:pushed"));
        await Expect(page.Row("red:pushed")).ToHaveCountAsync(0);

        // The dashboard's counts follow too.
        await page.GoAsync("Dashboard");
        var policies = page.Page.Locator("[data-count='Policies'] .n");
        var before = int.Parse(await policies.InnerTextAsync());
        lab.Must(await lab.Rest.Post("policys", "red:counted", new { tenantName = "red", policyName = "counted" }));
        await Expect(policies).ToHaveTextAsync((before + 1).ToString());
        await page.ScreenshotAsync("dashboard-after-push");

        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task An_ops_user_sees_only_its_tenant_even_live_and_read_only_controls_where_it_may_not_write()
    {
        await using var page = await lab.OpenSecureAsync("ops");
        await page.LoginAsync(ConsoleLab.OpsUser, ConsoleLab.OpsPassword);
        await page.WaitLiveAsync();
        await Expect(page.Page.Locator("#who")).ToHaveTextAsync($"{ConsoleLab.OpsUser} (ops: blue)");
        await Expect(page.Page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);

        await page.GoAsync("Networks");
        var tenantChoices = await page.Field("network", "tenantName").Locator("option").AllInnerTextsAsync();
        Assert.Equal(["blue"], tenantChoices);
        lab.Must(await lab.Rest.Post("networks", "red:secret", new { tenantName = "red", networkName = "secret", encap = "vxlan", subnet = "10.71.0.0/24" }));
        lab.Must(await lab.Rest.Post("networks", "blue:seen", new { tenantName = "blue", networkName = "seen", encap = "vxlan", subnet = "10.72.0.0/24" }));
        await Expect(page.Row("blue:seen")).ToBeVisibleAsync();
        // Pushed in that order: blue's arrived, so red's was filtered out by the master, not merely not drawn.
        Assert.False(await page.Page.EvaluateAsync<bool>("() => window.contivConsole.store.objects.networks.has('red:secret')"));
        Assert.False(await page.Page.EvaluateAsync<bool>("() => window.contivConsole.store.objects.tenants.has('red')"));

        await page.GoAsync("Tenants");
        await Expect(page.Page.Locator("#page .notice")).ToContainTextAsync("creating a tenant needs role admin");
        await Expect(page.Form("tenant")).ToHaveCountAsync(0);
        await Expect(page.Page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = "Global settings" })).ToHaveCountAsync(0);
        lab.Must(await lab.Rest.Post("Bgps", "host-ops", new { hostname = "host-ops", routerip = "10.99.0.1/24", @as = "65001", neighbor = "10.99.0.2" }));
        await page.GoAsync("BGP");
        await Expect(page.Page.Locator("#page .notice")).ToContainTextAsync("changing them needs role admin");
        await Expect(page.Form("Bgp host")).ToHaveCountAsync(0);
        await Expect(page.Row("host-ops").GetByRole(AriaRole.Button, new() { Name = "Edit host-ops" })).ToBeDisabledAsync();
        await Expect(page.Row("host-ops").GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToBeDisabledAsync();
        await page.ScreenshotAsync("bgp-read-only");
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task A_refusal_after_the_users_rights_were_taken_away_is_explained_and_changes_nothing()
    {
        const string user = "ops-revoked", password = "ops-revoked-password";
        await lab.Secure.CreateUserAsync(user, password, "ops", "blue");
        await using var page = await lab.OpenSecureAsync("forbidden");
        await page.LoginAsync(user, password);
        await page.WaitLiveAsync();
        await page.GoAsync("Networks");

        // An admin takes blue away while the page is open.
        var authorizations = (await lab.Rest.GetPath("/api/v1/auth_proxy/authorizations/")).Json.AsArray();
        var uuid = authorizations.Single(a => a!["PrincipalName"]!.GetValue<string>() == user)!["AuthzUUID"]!.GetValue<string>();
        Assert.True((await lab.Rest.Send(HttpMethod.Delete, $"/api/v1/auth_proxy/authorizations/{uuid}/", null)).Ok);

        page.Expect("/api/v1/networks/blue:late/ -> 403");
        await page.SubmitAsync("network", new Dictionary<string, string>
        {
            ["tenantName"] = "blue", ["networkName"] = "late", ["encap"] = "vxlan", ["subnet"] = "10.73.0.0/24",
        });
        var error = page.Form("network").Locator("p.error");
        await Expect(error).ToContainTextAsync("Not allowed:");
        await Expect(error).ToContainTextAsync(user);
        await Expect(error).ToContainTextAsync("blue");
        // The header now says what is left.
        await Expect(page.Page.Locator("#who")).ToHaveTextAsync($"{user} (ops: no tenants)");
        await page.ScreenshotAsync("forbidden");
        Assert.Equal(HttpStatusCode.NotFound, (await lab.Rest.Get("networks", "blue:late")).Status);
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task Logging_out_revokes_the_token_and_the_keyboard_alone_logs_in_and_moves_between_pages()
    {
        await using var page = await lab.OpenSecureAsync("keyboard");
        page.Expect("/api/v1/auth_proxy/whoami/ -> 401");
        await Expect(page.Page.GetByLabel("Username")).ToBeFocusedAsync();
        await page.Page.Keyboard.TypeAsync("admin");
        await page.Page.Keyboard.PressAsync("Tab");
        await page.Page.Keyboard.TypeAsync(Auth.SecureMaster.AdminPassword);
        await page.Page.Keyboard.PressAsync("Enter");
        await page.WaitLiveAsync();

        // Tab from the top of the page: the skip link comes first, then the header's button, then the pages.
        await page.Page.Locator("body").FocusAsync();
        await page.Page.Keyboard.PressAsync("Tab");
        await Expect(page.Page.Locator("a.skip")).ToBeFocusedAsync();
        var networks = page.Page.Locator("#nav a[data-page='networks']");
        for (var i = 0; i < 10 && !await networks.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Page.Keyboard.PressAsync("Tab");
        await Expect(networks).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.Page.Locator("#page h1")).ToHaveTextAsync("Networks");
        await Expect(page.Page.Locator("#nav a[aria-current='page']")).ToHaveTextAsync("Networks");

        var token = await page.Page.EvaluateAsync<string>("() => sessionStorage.getItem('contiv.token')");
        Assert.False(string.IsNullOrEmpty(token));
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.Page.Locator("#login-error")).ToHaveTextAsync("You have logged out.");
        await Expect(page.Page.Locator("#nav")).ToBeHiddenAsync();
        await Expect(page.Page.Locator("#live")).ToHaveTextAsync("offline");
        using var http = lab.Secure.SecureHttp();
        var after = await lab.Secure.SendAsync(http, HttpMethod.Get, "/api/v1/networks/", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Empty(page.Problems);
    }
}
