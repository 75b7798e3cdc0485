using Akka.Configuration;

namespace Contiv.Messages.Cluster;

/// <summary>
/// Reads a tunable that hocon/*.hocon must set. Akka's own getters answer 0, "" or false for a missing
/// path; a misspelt or deleted key would then quietly run with that instead of failing at start.
/// </summary>
public static class RequiredHocon
{
    public static int GetRequiredInt(this Config config, string path) => config.GetInt(Present(config, path));

    public static string GetRequiredString(this Config config, string path) => config.GetString(Present(config, path));

    public static bool GetRequiredBoolean(this Config config, string path) => config.GetBoolean(Present(config, path));

    public static TimeSpan GetRequiredTimeSpan(this Config config, string path) => config.GetTimeSpan(Present(config, path));

    public static long GetRequiredByteSize(this Config config, string path) =>
        config.GetByteSize(Present(config, path)) ?? throw Missing(path);

    private static string Present(Config config, string path) => config.HasPath(path) ? path : throw Missing(path);

    private static ConfigurationException Missing(string path) =>
        new($"{path} is not set: every tunable has its value in the embedded hocon/*.hocon, so a configuration that lost it is broken");
}
