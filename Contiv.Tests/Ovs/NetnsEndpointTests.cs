using Contiv.Lab;
using Xunit;

namespace Contiv.Tests.Ovs;

/// <summary>The namespace harness itself: two endpoints on a plain veth pair talk; cleanup leaves nothing.</summary>
[Trait("Category", "Netns")]
public sealed class NetnsEndpointTests
{
    [Fact]
    public async Task An_endpoint_has_its_address_and_mtu_and_is_gone_after_dispose()
    {
        string ns;
        await using (var endpoint = await NetnsEndpoint.CreateAsync("10.99.0.2/24", "02:02:0a:63:00:02"))
        {
            ns = endpoint.Namespace;
            var (code, output) = await endpoint.ExecAsync(TimeSpan.FromSeconds(10), "ip", "-o", "addr", "show", "dev", "eth0");
            Assert.Equal(0, code);
            Assert.Contains("10.99.0.2/24", output);
            (code, output) = await endpoint.ExecAsync(TimeSpan.FromSeconds(10), "ip", "-o", "link", "show", "dev", "eth0");
            Assert.Contains("mtu 1450", output);
            Assert.Contains("02:02:0a:63:00:02", output);
        }
        var list = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true })!;
        var names = await list.StandardOutput.ReadToEndAsync();
        await list.WaitForExitAsync();
        Assert.DoesNotContain(ns, names);
    }
}
