namespace Contiv.Lab;

/// <summary>Where the repository is, for tests and benchmarks that run its scripts (build.sh, install.sh) or read its files.</summary>
public static class LabPaths
{
    /// <summary>The directory holding Contiv.Actors.sln, found above the running binary.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Contiv.Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Contiv.Actors.sln above {AppContext.BaseDirectory}");
    }
}
