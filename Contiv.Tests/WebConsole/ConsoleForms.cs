using Contiv.Lab;
using Microsoft.Playwright;

namespace Contiv.Tests.WebConsole;

/// <summary>The console's object forms as a user fills them: a field by its API name, the create button, a row by key.</summary>
public static class ConsoleForms
{
    /// <summary>The form of a kind, by what the console calls one object of it ("network", "endpoint group", "rule").</summary>
    public static ILocator Form(this ConsolePage page, string one) => page.Page.Locator($"form[aria-label='{one} form']");

    public static ILocator Field(this ConsolePage page, string one, string field) => page.Form(one).Locator($"[name='{field}']");

    public static ILocator FieldError(this ConsolePage page, string one, string field) => page.Form(one).Locator($"[id$='-{field}-error']");

    public static ILocator Row(this ConsolePage page, string key) => page.Page.Locator($"#page tr[data-key='{key}']");

    /// <summary>Fills text fields and picks select options, then presses the form's submit button.</summary>
    public static async Task SubmitAsync(this ConsolePage page, string one, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (field, value) in values)
        {
            var input = page.Field(one, field);
            if (await input.EvaluateAsync<string>("e => e.tagName") == "SELECT") await input.SelectOptionAsync(value);
            else await input.FillAsync(value);
        }
        await page.Form(one).Locator("button[type=submit]").ClickAsync();
        await page.SettledAsync();
    }
}
