using System.Net;
using Contiv.Lab;
using Contiv.Tests.Ovs;
using Microsoft.Playwright;
using Xunit;
using static Contiv.Tests.EndToEnd.ClusterScenario;
using static Microsoft.Playwright.Assertions;

namespace Contiv.Tests.WebConsole;

/// <summary>
/// Two hosts with their own ovs-vswitchd, web on h0, db on h1 and h0, and an in deny of tcp/8080 on db: the topology draws
/// hosts, endpoints, groups, the network and the rule between them; the verdict picked in the picture names the deciding
/// rule; and real connections between the namespaces do what the verdict says, on the port it denies and on one it does not.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class ConsoleTopologyTests
{
    [Fact]
    public async Task The_topology_draws_the_tenant_and_its_verdict_for_a_pair_is_what_real_connections_meet()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await CreateNetworkAndGroupsAsync(lab);
        await lab.PostAsync("/api/v1/rules/default:p1:1/", DenyTcp8080);
        var web = await AttachAsync(lab, lab.Hosts[0], "web");
        var db = await AttachAsync(lab, lab.Hosts[1], "db");
        var local = await AttachAsync(lab, lab.Hosts[0], "db");

        await using var browser = await ConsoleBrowser.LaunchAsync();
        await using var page = await browser.OpenAsync(lab.Master.RestUrl, "topology");
        await page.WaitLiveAsync();
        await page.GoAsync("Topology");
        var picture = page.Page.Locator("svg[aria-label='Topology of tenant default']");
        await Expect(picture.Locator("g.node.endpoint")).ToHaveCountAsync(3);
        foreach (var (kind, name) in new[] { ("host", "h0"), ("host", "h1"), ("group", "web"), ("group", "db"), ("network", "n1") })
            await Expect(picture.Locator($"g.node[data-kind='{kind}'][data-name^='{name}']")).ToHaveCountAsync(1);
        // The rule names no source group: a stub into db, drawn as a deny.
        await Expect(picture.Locator("g.rule.deny[data-policy='p1'][data-rule='1'][data-to='db'][data-from='*'] line")).ToHaveCountAsync(1);
        await Expect(picture.Locator("line.link")).ToHaveCountAsync(3 + 3 + 2); // host→endpoint, endpoint→group, group→network

        await picture.Locator($"g.node[data-name='{web.EndpointId}']").ClickAsync();
        await picture.Locator($"g.node[data-name='{db.EndpointId}']").PressAsync("Enter"); // the keyboard picks too
        await Expect(picture.Locator($"g.node.from[data-name='{web.EndpointId}']")).ToHaveCountAsync(1);
        await Expect(picture.Locator($"g.node.to[data-name='{db.EndpointId}']")).ToHaveCountAsync(1);
        await page.Page.GetByLabel("Port (tcp and udp)").FillAsync("8080");
        await page.Page.GetByLabel("Port (tcp and udp)").DispatchEventAsync("change");
        var row = (string protocol) => page.Page.Locator($"table[aria-label='Verdict per protocol'] tr[data-protocol='{protocol}']");
        await Expect(row("tcp")).ToHaveAttributeAsync("data-verdict", "deny");
        await Expect(row("tcp").Locator("td").Nth(0)).ToHaveTextAsync("tcp/8080");
        await Expect(row("tcp").Locator("td").Nth(3)).ToContainTextAsync("p1/1: in deny priority 10 tcp/8080");
        await Expect(row("tcp").Locator("td").Nth(2)).ToContainTextAsync("no policy: allowed");
        await Expect(row("udp")).ToHaveAttributeAsync("data-verdict", "allow");
        await Expect(row("icmp")).ToHaveAttributeAsync("data-verdict", "allow");
        await Expect(page.Page.Locator("section.verdict")).Not.ToContainTextAsync("null");
        await page.ScreenshotAsync("verdict-denied");

        // What the packets meet, across the VXLAN tunnel: 8080 refused as the verdict says, 9090 through.
        using var echo8080 = await TcpEchoServer.StartAsync(db.Namespace, 8080);
        using var echo9090 = await TcpEchoServer.StartAsync(db.Namespace, 9090);
        Assert.False(await TcpEchoesAsync(web, db.Ip, 8080), "the verdict says deny, yet tcp/8080 got through");
        await page.Page.GetByLabel("Port (tcp and udp)").FillAsync("9090");
        await page.Page.GetByLabel("Port (tcp and udp)").DispatchEventAsync("change");
        await Expect(row("tcp")).ToHaveAttributeAsync("data-verdict", "allow");
        await Expect(row("tcp").Locator("td").Nth(3)).ToContainTextAsync("no in rule of p1 matches: allowed");
        Assert.True(await EventuallyAsync(() => TcpEchoesAsync(web, db.Ip, 9090)), "the verdict says allow, yet tcp/9090 did not get through");

        // A rule added elsewhere is judged again in the open page: an allow of higher priority for 8080.
        await page.Page.GetByLabel("Port (tcp and udp)").FillAsync("8080");
        await page.Page.GetByLabel("Port (tcp and udp)").DispatchEventAsync("change");
        await Expect(row("tcp")).ToHaveAttributeAsync("data-verdict", "deny");
        await lab.PostAsync("/api/v1/rules/default:p1:2/",
            """{"tenantName":"default","policyName":"p1","ruleId":"2","direction":"in","priority":20,"protocol":"tcp","port":8080,"action":"allow","fromEndpointGroup":"web"}""");
        await Expect(row("tcp")).ToHaveAttributeAsync("data-verdict", "allow");
        await Expect(row("tcp").Locator("td").Nth(3)).ToContainTextAsync("p1/2: in allow priority 20 tcp/8080 from web");
        await Expect(picture.Locator("g.rule.allow[data-rule='2'][data-from='web'][data-to='db'] path")).ToHaveCountAsync(1);
        Assert.True(await EventuallyAsync(() => TcpEchoesAsync(web, db.Ip, 8080)), "the verdict says allow, yet tcp/8080 did not get through");
        await page.ScreenshotAsync("topology");
        Assert.Empty(page.Problems);

        // The API behind it refuses what it cannot judge, naming the parameter.
        var missing = await lab.Rest.GetAsync($"/api/v1/inspect/verdict/?from={web.EndpointId}");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("'to' is required", await missing.Content.ReadAsStringAsync());
        var badPort = await lab.Rest.GetAsync($"/api/v1/inspect/verdict/?from={web.EndpointId}&to={local.EndpointId}&port=70000");
        Assert.Equal(HttpStatusCode.BadRequest, badPort.StatusCode);
        Assert.Contains("'port' must be a number 1..65535", await badPort.Content.ReadAsStringAsync());
        var unknown = await lab.Rest.GetAsync($"/api/v1/inspect/verdict/?from={web.EndpointId}&to=nosuch");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("endpoint nosuch not found", await unknown.Content.ReadAsStringAsync());
    }
}
