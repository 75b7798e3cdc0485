using System.Diagnostics;

namespace Contiv.Tests.OpenFlow;

/// <summary>Runs `ovs-ofctl ofp-print HEX` (no daemon needed) and returns what OVS decoded from our bytes.</summary>
public static class OfpPrint
{
    public static string Run(byte[] bytes, int verbosity = 0)
    {
        var info = new ProcessStartInfo("ovs-ofctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("ofp-print");
        info.ArgumentList.Add(Convert.ToHexString(bytes));
        if (verbosity > 0) info.ArgumentList.Add(verbosity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ovs-ofctl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new TimeoutException("ovs-ofctl ofp-print hung");
        }
        return (stdout.Result + stderr.Result).Trim().Replace("\r", "", StringComparison.Ordinal);
    }
}
