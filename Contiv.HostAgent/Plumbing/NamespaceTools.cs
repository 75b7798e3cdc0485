using System.Net;
using System.Text.Json.Nodes;

namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// ip and ethtool in the host's network namespace (<c>netns</c> null) or in the one at a path, through
/// <c>nsenter --net=PATH</c>: that takes /var/run/netns/x and /proc/&lt;pid&gt;/ns/net alike, which
/// <c>ip -n</c> (names under /var/run/netns only) does not.
/// </summary>
internal sealed partial class NamespaceTools(CommandRunner runner)
{
    public CommandRunner Runner => runner;

    public async Task<IReadOnlyList<IpLink>> LinksAsync(string? netns, CancellationToken ct) =>
        IpLink.ParseList(await runner.CheckedAsync(Command(netns, "ip", "-j", "-d", "link", "show"), ct));

    /// <summary>One link by name, or null if there is none: `ip link show dev`, which costs the same
    /// however many links the namespace has.</summary>
    public async Task<IpLink?> LinkAsync(string? netns, string name, CancellationToken ct)
    {
        var result = await runner.RunAsync(Command(netns, "ip", "-j", "-d", "link", "show", "dev", name), ct);
        if (!result.Succeeded && result.Stderr.Contains($"Device \"{name}\" does not exist", StringComparison.Ordinal)) return null;
        if (!result.Succeeded) throw CommandRunner.Failed(result);
        return IpLink.ParseList(result.Stdout).FirstOrDefault(l => l.Name == name);
    }

    /// <summary>The IPv4 addresses on <paramref name="device"/> as address/prefix.</summary>
    public async Task<IReadOnlyList<string>> Ipv4AddressesAsync(string? netns, string device, CancellationToken ct)
    {
        var json = await runner.CheckedAsync(Command(netns, "ip", "-j", "-4", "addr", "show", "dev", device), ct);
        return IpLink.ParseArray(json)
            .SelectMany(link => link?["addr_info"] as JsonArray ?? [])
            .Where(a => (string?)a?["family"] == "inet")
            .Select(a => $"{(string?)a!["local"]}/{(int?)a["prefixlen"]}")
            .ToArray();
    }

    /// <summary>The IPv4 default route's gateway and device, if there is one.</summary>
    public async Task<(IPAddress? Gateway, string? Device)> DefaultRouteAsync(string? netns, CancellationToken ct)
    {
        var json = await runner.CheckedAsync(Command(netns, "ip", "-j", "-4", "route", "show", "default"), ct);
        var route = IpLink.ParseArray(json).FirstOrDefault();
        var gateway = (string?)route?["gateway"];
        return (gateway is null ? null : IPAddress.Parse(gateway), (string?)route?["dev"]);
    }

    /// <summary>Whether transmit checksum offload is off: veth leaves checksums to the receiver, and OVS's
    /// userspace datapath forwards such packets with checksums nobody ever fills in.</summary>
    public async Task<bool> TxChecksumOffAsync(string? netns, string device, CancellationToken ct)
    {
        var text = await runner.CheckedAsync(Command(netns, "ethtool", "-k", device), ct);
        return text.Split('\n').Any(l => l.Trim().StartsWith("tx-checksumming: off", StringComparison.Ordinal));
    }

    public Task<string> IpAsync(string? netns, CancellationToken ct, params string[] args) =>
        runner.CheckedAsync(Command(netns, ["ip", .. args]), ct);

    /// <summary>
    /// Several ip commands in one process (<c>ip -batch</c>), from a file of ours: one line per command,
    /// names and addresses only (validated by <see cref="EndpointAttachment.Validate"/>, no spaces).
    /// ip stops at the first command that fails and says which.
    /// </summary>
    public async Task<string> IpBatchAsync(string? netns, IReadOnlyList<string> commands, CancellationToken ct)
    {
        var file = Path.Combine(Path.GetTempPath(), $"contiv-ip-{Guid.NewGuid():N}.batch");
        await File.WriteAllLinesAsync(file, commands, ct);
        try
        {
            // -j -d: a `link show` in the batch prints what IpLink reads.
            return await runner.CheckedAsync(Command(netns, "ip", "-j", "-d", "-batch", file), ct);
        }
        catch (PlumbingException e) when (e.Stderr is { } stderr && BatchLine().Match(stderr) is { Success: true } failed
                                          && int.Parse(failed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var line
                                          && line >= 1 && line <= commands.Count)
        {
            // Name the command that failed, as a single command's error would.
            var command = string.Join(' ', Command(netns, ["ip", .. commands[line - 1].Split(' ')]));
            var reason = stderr.Replace(failed.Value, "").Trim();
            throw new PlumbingException($"`{command}` failed: {reason}", command, reason);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Command failed \S+:(\d+)")]
    private static partial System.Text.RegularExpressions.Regex BatchLine();

    public Task<string> EthtoolAsync(string? netns, CancellationToken ct, params string[] args) =>
        runner.CheckedAsync(Command(netns, ["ethtool", .. args]), ct);

    private static IReadOnlyList<string> Command(string? netns, params string[] command) =>
        netns is null ? command : ["nsenter", "--net=" + netns, .. command];
}
