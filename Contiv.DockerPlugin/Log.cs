namespace Contiv.DockerPlugin;

/// <summary>One line to stderr, which dockerd copies into its own log for a managed plugin.</summary>
internal static class Log
{
    public static void Line(string text) => Console.Error.WriteLine($"contiv-docker-plugin: {text}");
}
