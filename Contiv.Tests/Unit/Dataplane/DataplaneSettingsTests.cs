using Akka.Configuration;
using Contiv.Dataplane.Ovs.Apply;
using Xunit;

namespace Contiv.Tests.Unit.Dataplane;

public sealed class DataplaneSettingsTests
{
    [Fact]
    public void Defaults_come_from_the_embedded_hocon()
    {
        var settings = DataplaneSettings.From(Config.Empty);
        Assert.Equal(TimeSpan.FromMilliseconds(20), settings.BatchWindow);
        Assert.Equal(256, settings.MaxBatch);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.OpenFlow.EchoInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.OpenFlow.RequestTimeout);
        Assert.Equal(262144, settings.OpenFlow.WriteBatchBytes);
    }

    [Fact]
    public void An_operator_override_wins_over_the_defaults()
    {
        var settings = DataplaneSettings.From(ConfigurationFactory.ParseString(
            "contiv.dataplane { max-batch = 7, openflow { echo-interval = 0s, connect-timeout = 2s } }"));
        Assert.Equal(7, settings.MaxBatch);
        Assert.Equal(TimeSpan.Zero, settings.OpenFlow.EchoInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.OpenFlow.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.OpenFlow.EchoTimeout);
    }
}
