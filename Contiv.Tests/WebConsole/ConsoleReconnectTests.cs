using Contiv.Lab;
using Contiv.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Contiv.Tests.WebConsole;

/// <summary>
/// The master under an open page stops and starts again on the same data and port: the page says the connection is lost,
/// comes back by itself, and shows what changed while it was away (a network made, one deleted) without a reload.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConsoleReconnectTests
{
    [Fact]
    public async Task A_lost_connection_shows_and_resumes_without_missing_a_change_made_in_the_gap()
    {
        var dataDir = MasterProcess.NewDataDir();
        var port = LocalPorts.FreeTcpPort();
        var master = await MasterProcess.StartAsync(dataDir: dataDir, port: port);
        try
        {
            await Must(new RestClient(master.Http).Post("networks", "default:before", new { tenantName = "default", networkName = "before", encap = "vxlan", subnet = "10.81.0.0/24" }));
            await Must(new RestClient(master.Http).Post("networks", "default:kept", new { tenantName = "default", networkName = "kept", encap = "vxlan", subnet = "10.82.0.0/24" }));
            await using var browser = await ConsoleBrowser.LaunchAsync();
            await using var page = await browser.OpenAsync(master.BaseAddress, "reconnect");
            page.Expect("/api/v1/watch/"); // the stream's reconnection attempts fail while the master is down: that is the point
            await page.WaitLiveAsync();
            await page.GoAsync("Networks");
            await Expect(page.Row("default:before")).ToHaveCountAsync(1);
            await page.Page.EvaluateAsync("() => { window.notReloaded = true; }");

            await master.DisposeAsync();
            await Expect(page.Page.Locator("#live")).ToHaveTextAsync("connection lost, reconnecting…");
            await Expect(page.Page.Locator("#live")).ToHaveClassAsync("live lost");
            await page.ScreenshotAsync("lost");

            master = await MasterProcess.StartAsync(dataDir: dataDir, port: port);
            // Made at once, while the page is still waiting to reconnect (its retries back off to 5 s).
            var rest = new RestClient(master.Http);
            await Must(rest.Post("networks", "default:after", new { tenantName = "default", networkName = "after", encap = "vxlan", subnet = "10.83.0.0/24" }));
            await Must(rest.Delete("networks", "default:before"));

            await page.WaitLiveAsync();
            await Expect(page.Row("default:after")).ToContainTextAsync("10.83.0.0/24", new() { Timeout = 15_000 });
            await Expect(page.Row("default:before")).ToHaveCountAsync(0);
            await Expect(page.Row("default:kept")).ToContainTextAsync("10.82.0.0/24");
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page reloaded instead of resuming");

            // And it is live again: a change now arrives as any other.
            await Must(rest.Post("networks", "default:later", new { tenantName = "default", networkName = "later", encap = "vxlan", subnet = "10.84.0.0/24" }));
            await Expect(page.Row("default:later")).ToContainTextAsync("10.84.0.0/24");
            await page.ScreenshotAsync("resumed");
            Assert.Empty(page.Problems);
        }
        finally
        {
            await master.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task Must(Task<RestReply> call)
    {
        var reply = await call;
        Assert.True(reply.Ok, $"setup refused: {reply}");
    }
}
