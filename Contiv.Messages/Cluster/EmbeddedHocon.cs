using System.Reflection;
using Akka.Configuration;

namespace Contiv.Messages.Cluster;

/// <summary>Reads a .hocon file that a project embeds (hocon/*.hocon, each under its file name).</summary>
public static class EmbeddedHocon
{
    public static Config Load(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
                           ?? throw new InvalidOperationException($"{resourceName} is not embedded in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
