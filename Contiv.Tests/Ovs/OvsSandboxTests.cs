using Contiv.Lab;
using Xunit;

namespace Contiv.Tests.Ovs;

[Trait("Category", "Ovs")]
[Collection(Contiv.Tests.Ovs.OvsCollection.Name)]
public sealed class OvsSandboxTests
{
    [Fact]
    public async Task A_sandbox_runs_a_netdev_bridge_and_cleans_up()
    {
        string dir;
        await using (var ovs = await OvsSandbox.StartAsync())
        {
            dir = ovs.Directory;
            await ovs.AddBridgeAsync("br0");
            Assert.Equal("netdev", (await ovs.Vsctl("get", "bridge", ovs.BridgeName("br0"), "datapath_type")).Trim());
            Assert.Contains("OFPST_FLOW reply", await ovs.Ofctl("dump-flows", ovs.BridgeName("br0")));
        }
        Assert.False(Directory.Exists(dir));
    }
}
