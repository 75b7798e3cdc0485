using Microsoft.Playwright;

namespace Contiv.Lab;

/// <summary>
/// Debian's headless Chromium driven by Playwright (no browser download is possible here, so Playwright is pointed at the
/// system executable). Each page gets a fresh context at 1280×800, the laptop screen issue #16 names, and records every
/// script error and failed request the console made, so that a test can insist there were none.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CONTIV_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>Where screenshots go: beside the test binaries, kept after the run for a person to look at.</summary>
    public static readonly string ArtifactDirectory = Path.Combine(AppContext.BaseDirectory, "artifacts", "console");

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _profile;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, string profile)
    {
        _playwright = playwright;
        _browser = browser;
        _profile = profile;
    }

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"no Chromium at {ChromiumPath}: the browser tests need Debian's chromium (apt-get install chromium) or CONTIV_CHROMIUM");
        Directory.CreateDirectory(ArtifactDirectory);
        var profile = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "contiv-chromium-" + Guid.NewGuid().ToString("N"))).FullName;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // Nothing but the master on loopback: no updates, sync, QUIC or other background traffic.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-dev-shm-usage"],
                Env = new Dictionary<string, string> { ["HOME"] = profile },
            });
            return new ConsoleBrowser(playwright, browser, profile);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task<ConsolePage> OpenAsync(Uri master, string name)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = master.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            // The secure listener's certificate is self-signed in tests; the API clients pin it, the browser accepts it.
            IgnoreHTTPSErrors = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var console = new ConsolePage(context, page, name);
        await page.GotoAsync("/console/");
        return console;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>One open console tab and what went wrong in it.</summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private const string WatchPath = "/api/v1/watch/";
    private readonly List<string> _problems = [];
    private readonly List<string> _expected = [];
    private readonly string _name;
    private int _shots;

    public IPage Page { get; }

    internal ConsolePage(IBrowserContext context, IPage page, string name)
    {
        _context = context;
        _name = name;
        Page = page;
        page.PageError += (_, error) => Record("script error: " + error);
        // Chromium logs every refused request as "Failed to load resource"; the response names it better.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) Record("console error: " + message.Text);
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) Record($"refused: {response.Request.Method} {response.Url} -> {response.Status}");
        };
        page.RequestFailed += (_, request) =>
        {
            // The console aborts its own watch stream when it logs out or leaves: no failure.
            if (request.Failure == "net::ERR_ABORTED" && request.Url.EndsWith(WatchPath, StringComparison.Ordinal)) return;
            Record($"failed: {request.Method} {request.Url} ({request.Failure})");
        };
    }

    private void Record(string problem) { lock (_problems) _problems.Add(problem); }

    /// <summary>Script errors, refused and failed requests so far (a test that provokes a refusal looks for it here).</summary>
    public IReadOnlyList<string> Problems
    {
        get { lock (_problems) return _problems.Where(p => !_expected.Any(e => p.Contains(e, StringComparison.Ordinal))).ToList(); }
    }

    /// <summary>A refusal the test provokes on purpose (or the console's first "who am I" before a login) is no problem.</summary>
    public void Expect(string fragment) { lock (_problems) _expected.Add(fragment); }

    public IReadOnlyList<string> ScriptErrors => Problems.Where(p => p.StartsWith("script error", StringComparison.Ordinal)).ToList();

    public async Task<string> ScreenshotAsync(string what)
    {
        var path = Path.Combine(ConsoleBrowser.ArtifactDirectory, $"{_name}-{++_shots:00}-{what}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task LoginAsync(string username, string password)
    {
        Expect("/api/v1/auth_proxy/whoami/ -> 401"); // asked before the login: no token yet
        await Page.GetByLabel("Username").FillAsync(username);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#who")).ToContainTextAsync(username);
    }

    /// <summary>Goes to a page through the navigation, as a user would, and waits for the live stream.</summary>
    public async Task GoAsync(string title)
    {
        await Page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Assertions.Expect(Page.Locator("#page h1")).ToHaveTextAsync(title == "Users" ? "Users and authorizations" : title);
        await SettledAsync();
    }

    /// <summary>Until the console has no API call unanswered (the watch stream keeps the network busy for ever).</summary>
    public Task SettledAsync() =>
        Page.WaitForFunctionAsync("() => window.contivConsole && window.contivConsole.pendingCalls() === 0", null, new() { PollingInterval = 50 });

    public Task WaitLiveAsync() => Assertions.Expect(Page.Locator("#live")).ToHaveTextAsync("live");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
