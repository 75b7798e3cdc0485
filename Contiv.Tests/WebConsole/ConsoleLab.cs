using Contiv.Lab;
using Contiv.Tests.Auth;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.WebConsole;

/// <summary>
/// A real master with its TLS listener and a headless Chromium, shared by the browser tests: tenant `blue` belongs to
/// ops user `ops-blue`, tenant `red` to no ops user, and the admin's password is known.
/// </summary>
public sealed class ConsoleLab : IAsyncLifetime
{
    public const string OpsUser = "ops-blue";
    public const string OpsPassword = "ops-blue-password";

    public SecureMaster Secure { get; private set; } = null!;
    public ConsoleBrowser Browser { get; private set; } = null!;
    public RestClient Rest => Secure.Loopback;

    public async Task InitializeAsync()
    {
        Secure = await SecureMaster.StartAsync();
        foreach (var tenant in new[] { "blue", "red" }) Must(await Rest.Post("tenants", tenant, new { tenantName = tenant }));
        await Secure.CreateUserAsync(OpsUser, OpsPassword, "ops", "blue");
        Browser = await ConsoleBrowser.LaunchAsync();
    }

    public void Must(RestReply reply)
    {
        if (!reply.Ok) throw new InvalidOperationException($"setup refused: {reply}\n{Secure.Master.Output}");
    }

    /// <summary>A console tab on the secure listener (which asks for a login).</summary>
    public Task<ConsolePage> OpenSecureAsync(string name) => Browser.OpenAsync(Secure.SecureAddress, name);

    /// <summary>A console tab on the loopback listener: the local admin, no login, as netctl on the master's host.</summary>
    public Task<ConsolePage> OpenLoopbackAsync(string name) => Browser.OpenAsync(Secure.Master.BaseAddress, name);

    public async Task<ConsolePage> LoginAsAdminAsync(string name)
    {
        var page = await OpenSecureAsync(name);
        await page.LoginAsync("admin", SecureMaster.AdminPassword);
        await page.WaitLiveAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        if (Secure is not null) await Secure.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleLab>
{
    public const string Name = "console";
}
