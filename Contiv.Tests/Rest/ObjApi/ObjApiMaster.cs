using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Rest.ObjApi;

/// <summary>
/// One real contiv-master (loopback, temp data dir, real SQLite) shared by every ObjApi test.
/// The ObjApi test classes are all in the "objapi" collection, so they run one after the other
/// against it, like the original objapi_test.go ran against one in-process netmaster.
/// </summary>
public sealed class ObjApiMaster : IAsyncLifetime
{
    private MasterProcess? _master;

    /// <summary>netctl-like client for the current master process.</summary>
    public RestClient Client { get; private set; } = null!;

    public MasterProcess Master => _master ?? throw new InvalidOperationException("master not started");

    /// <summary>GET /api/v1/globals/global/ as answered right after the very first start.</summary>
    public RestReply InitialGlobal { get; private set; } = null!;

    /// <summary>GET /api/v1/tenants/default/ as answered right after the very first start.</summary>
    public RestReply InitialDefaultTenant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await StartAsync();
        // Captured before any test runs; asserted by GlobalTests.FirstStartDefaults.
        InitialGlobal = await Client.Get("globals", "global");
        InitialDefaultTenant = await Client.Get("tenants", "default");
    }

    public async Task DisposeAsync()
    {
        if (_master is not null) await _master.DisposeAsync();
        _master = null;
    }

    /// <summary>
    /// If a previous test crashed the master, start a fresh one so that the remaining tests
    /// report their own results instead of connection errors.
    /// </summary>
    public async Task EnsureRunningAsync()
    {
        if (_master is { HasExited: false }) return;
        if (_master is not null) await _master.DisposeAsync();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        _master = await MasterProcess.StartAsync(fwdMode: "bridge");
        Client = new RestClient(_master.Http);
    }
}

[CollectionDefinition("objapi")]
public sealed class ObjApiCollection : ICollectionFixture<ObjApiMaster>
{
}
