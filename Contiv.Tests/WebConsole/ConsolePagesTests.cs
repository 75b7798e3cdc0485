using Contiv.Lab;
using System.Net;
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

    [Fact]
    public async Task The_files_are_served_with_a_strict_policy_an_etag_and_clear_refusals()
    {
        var http = lab.Secure.Master.Http;
        using var index = await http.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        var policy = string.Join(";", index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/js/app.js");
        using var first = await http.GetAsync("/console/js/app.js");
        Assert.Equal("text/javascript", first.Content.Headers.ContentType!.MediaType);
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.Tag);
        using var unchanged = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        using var missing = await http.GetAsync("/console/js/nosuch.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("nosuch.js", await missing.Content.ReadAsStringAsync());
        using var outside = await http.GetAsync("/console/..%2F..%2Fetc%2Fpasswd");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        using var post = await http.PostAsync("/console/", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }
}
