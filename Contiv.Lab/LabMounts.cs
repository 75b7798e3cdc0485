namespace Contiv.Lab;

/// <summary>Mounts a lab daemon left under its own directory, found and removed by path, never elsewhere.</summary>
public static class LabMounts
{
    /// <summary>Mount points at or below <paramref name="directory"/>, deepest first.</summary>
    public static IReadOnlyList<string> Under(string directory)
    {
        var root = directory.TrimEnd('/');
        return File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(target => target == root || target.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct().OrderByDescending(target => target.Length).ToList();
    }

    /// <summary>Unmounts everything at or below <paramref name="directory"/>, deepest first; lazily when busy.</summary>
    public static void UnmountUnder(string directory)
    {
        foreach (var target in Under(directory))
        {
            if (LabCommands.Exec(TimeSpan.FromSeconds(10), "umount", target).GetAwaiter().GetResult().ExitCode != 0)
                LabCommands.Exec(TimeSpan.FromSeconds(10), "umount", "-l", target).GetAwaiter().GetResult();
        }
    }

    // mountinfo writes space, tab, newline and backslash as octal escapes (\040).
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
