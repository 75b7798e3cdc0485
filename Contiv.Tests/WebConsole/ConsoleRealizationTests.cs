using Contiv.Lab;
using Contiv.Tests.Ovs;
using Microsoft.Playwright;
using Xunit;
using static Contiv.Tests.EndToEnd.ClusterScenario;
using static Microsoft.Playwright.Assertions;

namespace Contiv.Tests.WebConsole;

/// <summary>
/// A master and two agents with their own ovs-vswitchd, a db endpoint on each: a rule added in the console shows per host which switches hold it.
/// h1's switch is paused (SIGSTOP) while the rule is added, so its host must show pending while h0's shows realized, and
/// turn realized on the open page once the switch runs again.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class ConsoleRealizationTests
{
    [Fact]
    public async Task A_rule_added_in_the_console_shows_pending_on_a_paused_host_and_turns_realized_live()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await CreateNetworkAndGroupsAsync(lab);
        // A db endpoint on each host: the rule then changes flows on both switches (with none, there is nothing to hold).
        foreach (var host in lab.Hosts) await AttachAsync(lab, host, "db");
        await using var browser = await ConsoleBrowser.LaunchAsync();
        await using var page = await browser.OpenAsync(lab.Master.RestUrl, "realization");
        await page.WaitLiveAsync();
        await page.GoAsync("Policies");
        var chip = (string host) => page.Row("default:p1").Locator($".chip[data-host='{host}']");
        await Expect(chip("h0")).ToHaveAttributeAsync("data-status", "realized");
        await Expect(chip("h1")).ToHaveAttributeAsync("data-status", "realized");

        var paused = lab.Hosts[1].OvsPids().ToList();
        await Signal("STOP", paused);
        try
        {
            await page.Page.GetByRole(AriaRole.Button, new() { Name = "Rules of default:p1" }).ClickAsync();
            await page.SubmitAsync("rule", new Dictionary<string, string>
            {
                ["ruleId"] = "1", ["priority"] = "10", ["direction"] = "in", ["action"] = "deny", ["protocol"] = "tcp", ["port"] = "8080",
            });
            await Expect(page.Page.Locator("table[aria-label='Rules of default:p1'] tbody tr")).ToHaveAttributeAsync("data-key", "default:p1:1");
            await Expect(chip("h1")).ToHaveAttributeAsync("data-status", "pending");
            await Expect(chip("h0")).ToHaveAttributeAsync("data-status", "realized");
            await page.ScreenshotAsync("h1-pending");
        }
        finally
        {
            await Signal("CONT", paused);
        }
        await Expect(chip("h1")).ToHaveAttributeAsync("data-status", "realized", new() { Timeout = 30_000 });
        await Expect(chip("h0")).ToHaveAttributeAsync("data-status", "realized");
        await page.ScreenshotAsync("both-realized");
        Assert.Empty(page.Problems);
    }

    private static async Task Signal(string signal, IEnumerable<int> pids)
    {
        foreach (var pid in pids) await LabCommands.Run("kill", "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
