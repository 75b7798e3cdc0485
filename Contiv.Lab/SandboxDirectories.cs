using System.Globalization;

namespace Contiv.Lab;

/// <summary>
/// A private daemon's directory names its owner (the test host's PID, in owner.pid), so that a later run can
/// tell the leftovers of a run that died before its cleanup from a directory another live run is using.
/// </summary>
public static class SandboxDirectories
{
    /// <summary>A new directory <paramref name="prefix"/>&lt;random&gt; under <paramref name="temp"/>, owned by this process.</summary>
    public static async Task<string> CreateOwnedAsync(string temp, string prefix)
    {
        var dir = Directory.CreateDirectory(Path.Combine(temp, prefix + Guid.NewGuid().ToString("N")[..10])).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return dir;
    }

    /// <summary>The directories of that prefix whose owner is gone; one without an owner yet is being created
    /// right now, unless it is old.</summary>
    public static IEnumerable<string> Orphaned(string temp, string prefix) =>
        Directory.GetDirectories(temp, prefix + "*").Where(dir =>
            ContainerdLeftovers.ReadPid(Path.Combine(dir, "owner.pid")) is { } owner
                ? !OvsSandbox.IsAlive(owner)
                : Directory.GetLastWriteTimeUtc(dir) <= DateTime.UtcNow.AddMinutes(-2));
}
