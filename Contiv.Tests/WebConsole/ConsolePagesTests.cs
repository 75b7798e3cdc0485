using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.WebConsole;

/// <summary>Every page of the console opens for the admin without a script error, and a screenshot of each is kept.</summary>
[Trait("Category", "Browser")]
[Collection(ConsoleCollection.Name)]
public sealed class ConsolePagesTests(ConsoleLab lab, ITestOutputHelper output)
{
    public static readonly string[] AdminPages =
    [
        "Dashboard", "Tenants", "Networks", "Endpoint groups", "Policies", "App profiles", "Net profiles",
        "External contracts", "Service LBs", "BGP", "Endpoints", "Global settings", "Users",
    ];

    [Fact]
    public async Task Every_page_opens_for_the_admin_without_a_script_error_and_is_screenshotted()
    {
        await using var page = await lab.LoginAsAdminAsync("pages");
        foreach (var title in AdminPages)
        {
            await page.GoAsync(title);
            output.WriteLine(await page.ScreenshotAsync(title.Replace(' ', '-').ToLowerInvariant()));
            // What a missing value looks like when a page prints it instead of leaving it out.
            Assert.DoesNotMatch(@"\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]", await page.Page.InnerTextAsync("#page"));
        }
        Assert.Empty(page.Problems);
    }
}
