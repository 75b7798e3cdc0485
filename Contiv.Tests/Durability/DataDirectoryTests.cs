using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Durability;

/// <summary>A master refuses a data directory it cannot own, saying why, instead of sharing a journal.</summary>
public sealed class DataDirectoryTests
{
    [Fact]
    public async Task A_second_master_on_the_same_data_directory_is_refused()
    {
        await using var first = await MasterProcess.StartAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => MasterProcess.StartAsync(first.DataDir));
        Assert.Contains("is in use by another contiv-master", refused.Message);

        // The first master goes on serving.
        var reply = await new RestClient(first.Http).Get("tenants", "default");
        Assert.True(reply.Ok, reply.ToString());
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_refused()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => MasterProcess.StartAsync("/proc/contiv-no-such-dir"));
        Assert.Contains("cannot use the data directory", refused.Message);
    }
}
