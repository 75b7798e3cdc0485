using Contiv.Lab;

namespace Contiv.Tests.Docker;

/// <summary>
/// The plugin as docker/plugin/build.sh makes it: published (NativeAOT) and assembled once per test
/// run with <c>--no-install</c>, or built and installed into a given dockerd.
/// </summary>
public static class PluginBuild
{
    // A cold publish restores the ILCompiler package and compiles natively: minutes on a busy machine.
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);
    private static readonly List<string> Directories = [];

    static PluginBuild()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Directories)
                foreach (var dir in Directories) RemoveDirectory(dir);
        };
    }

    /// <summary>contiv-docker-plugin inside the rootfs of a plugin directory build.sh assembled.</summary>
    public static Task<string> BinaryAsync() => Published.Value;

    /// <summary>Runs build.sh with <paramref name="arguments"/>: its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        LabCommands.Exec(BuildTimeout, ["bash", Path.Combine(LabPaths.RepositoryRoot(), "docker", "plugin", "build.sh"), .. arguments]);

    /// <summary>A new directory short enough for unix socket paths below it (108 bytes at most), removed at the end of the run.</summary>
    public static string NewDirectory(string prefix)
    {
        var temp = Path.GetTempPath().Length <= 40 ? Path.GetTempPath() : "/tmp/";
        var dir = Directory.CreateDirectory(Path.Combine(temp, prefix + Guid.NewGuid().ToString("N")[..10])).FullName;
        lock (Directories) Directories.Add(dir);
        return dir;
    }

    public static void RemoveDirectory(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
    }

    private static async Task<string> PublishAsync()
    {
        var dir = NewDirectory("contiv-plugin-");
        var (code, output) = await RunAsync("--no-install", "--out", dir);
        if (code != 0) throw new InvalidOperationException($"build.sh --no-install failed ({code}):\n{output}");
        var binary = Path.Combine(dir, "rootfs", "contiv-docker-plugin");
        if (!File.Exists(binary)) throw new InvalidOperationException($"build.sh made no {binary}:\n{output}");
        return binary;
    }

}
