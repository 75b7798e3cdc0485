using System.Diagnostics;

namespace Contiv.Lab;

/// <summary>Short commands of the lab (ip, ethtool, ping inside a namespace): argument lists, no shell, bounded in time.</summary>
public static class LabCommands
{
    /// <summary>Runs a command and throws with its output when it fails.</summary>
    public static async Task Run(params string[] command)
    {
        var (code, output) = await Exec(TimeSpan.FromSeconds(20), command);
        if (code != 0) throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({code}): {output}");
    }

    /// <summary>Runs a command and returns its exit code and output (-1 when it timed out and was killed).</summary>
    public static async Task<(int ExitCode, string Output)> Exec(TimeSpan timeout, params string[] command)
    {
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command[1..]) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            return (-1, $"timed out after {timeout}");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>True when <paramref name="target"/> answers at least one of <paramref name="count"/> pings from inside <paramref name="ns"/>.</summary>
    public static async Task<bool> PingFrom(string ns, string target, int count = 1, int timeoutSeconds = 1)
    {
        var (code, _) = await Exec(TimeSpan.FromSeconds(count * timeoutSeconds + 5), "ip", "netns", "exec", ns, "ping", "-c",
            count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-W", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), target);
        return code == 0;
    }
}
