using Akka.Configuration;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Messages.Cluster;

namespace Contiv.Dataplane.Ovs.Apply;

/// <summary>The dataplane actor's tunables, from <c>contiv.dataplane</c> (hocon/dataplane.hocon).</summary>
public sealed record DataplaneSettings(
    TimeSpan BatchWindow,
    int MaxBatch,
    TimeSpan ReconnectMinBackoff,
    TimeSpan ReconnectMaxBackoff,
    TimeSpan ApplyTimeout,
    OpenFlowSettings OpenFlow)
{
    public static Config DefaultConfig => EmbeddedHocon.Load(typeof(DataplaneSettings).Assembly, "dataplane.hocon");

    public static DataplaneSettings From(Config config)
    {
        var c = config.WithFallback(DefaultConfig);
        return new DataplaneSettings(
            c.GetRequiredTimeSpan("contiv.dataplane.batch-window"),
            c.GetRequiredInt("contiv.dataplane.max-batch"),
            c.GetRequiredTimeSpan("contiv.dataplane.reconnect-min-backoff"),
            c.GetRequiredTimeSpan("contiv.dataplane.reconnect-max-backoff"),
            c.GetRequiredTimeSpan("contiv.dataplane.apply-timeout"),
            new OpenFlowSettings
            {
                ConnectTimeout = c.GetRequiredTimeSpan("contiv.dataplane.openflow.connect-timeout"),
                RequestTimeout = c.GetRequiredTimeSpan("contiv.dataplane.openflow.request-timeout"),
                EchoInterval = c.GetRequiredTimeSpan("contiv.dataplane.openflow.echo-interval"),
                EchoTimeout = c.GetRequiredTimeSpan("contiv.dataplane.openflow.echo-timeout"),
                WriteBatchBytes = c.GetRequiredInt("contiv.dataplane.openflow.write-batch-bytes"),
            });
    }
}
