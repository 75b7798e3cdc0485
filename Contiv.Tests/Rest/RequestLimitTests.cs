using System.Net;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Rest;

/// <summary>A master whose per-client rate is low enough to reach: 5 requests at once, then 1 per second.</summary>
public sealed class LowLimitMasterFixture : IAsyncLifetime
{
    public MasterProcess Master { get; private set; } = null!;
    private string _config = "";

    public async Task InitializeAsync()
    {
        _config = Path.Combine(Path.GetTempPath(), $"contiv-limits-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(_config, "contiv.master.limits { requests-per-second-per-client = 1, burst = 5 }\n");
        Master = await MasterProcess.StartAsync(extraArgs: ["--config", _config]);
    }

    public async Task DisposeAsync()
    {
        if (Master is not null) await Master.DisposeAsync();
        File.Delete(_config);
    }
}

[Trait("Category", "Auth")]
public sealed class RequestLimitTests(LowLimitMasterFixture fixture) : IClassFixture<LowLimitMasterFixture>
{
    [Fact]
    public async Task A_client_past_its_rate_gets_429_with_a_message()
    {
        var rest = new RestClient(fixture.Master.Http);
        var replies = new List<RestReply>();
        // 30 requests in a row: the bucket of 5 refills by 1 a second, so unless they take 25 s, some are refused.
        for (var i = 0; i < 30; i++) replies.Add(await rest.Get("tenants", "default"));

        Assert.All(replies.Take(5), r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var refused = replies.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Contains("too many requests", r.Body));
        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{r}"));
    }
}
