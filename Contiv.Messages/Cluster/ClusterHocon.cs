using Akka.Configuration;

namespace Contiv.Messages.Cluster;

/// <summary>cluster.hocon: the settings masters and agents must share (serializers, failure detection, split brain resolver).</summary>
public static class ClusterHocon
{
    public static Config Shared { get; } = Load();

    private static Config Load()
    {
        using var stream = typeof(ClusterHocon).Assembly.GetManifestResourceStream("cluster.hocon")
                           ?? throw new InvalidOperationException("cluster.hocon is not embedded in Contiv.Messages");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
