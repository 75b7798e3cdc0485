using Akka.Configuration;

namespace Contiv.Dataplane.Ovs.Apply;

/// <summary>The dataplane actor's tunables, from <c>contiv.dataplane</c> (hocon/dataplane.hocon).</summary>
public sealed record DataplaneSettings(
    TimeSpan BatchWindow,
    int MaxBatch,
    TimeSpan ReconnectMinBackoff,
    TimeSpan ReconnectMaxBackoff,
    TimeSpan ApplyTimeout)
{
    public static Config DefaultConfig
    {
        get
        {
            using var stream = typeof(DataplaneSettings).Assembly.GetManifestResourceStream("dataplane.hocon")
                               ?? throw new InvalidOperationException("dataplane.hocon is not embedded");
            using var reader = new StreamReader(stream);
            return ConfigurationFactory.ParseString(reader.ReadToEnd());
        }
    }

    public static DataplaneSettings From(Config config)
    {
        var c = config.WithFallback(DefaultConfig);
        return new DataplaneSettings(
            c.GetTimeSpan("contiv.dataplane.batch-window"),
            c.GetInt("contiv.dataplane.max-batch"),
            c.GetTimeSpan("contiv.dataplane.reconnect-min-backoff"),
            c.GetTimeSpan("contiv.dataplane.reconnect-max-backoff"),
            c.GetTimeSpan("contiv.dataplane.apply-timeout"));
    }
}
