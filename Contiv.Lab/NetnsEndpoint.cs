using System.Diagnostics;

namespace Contiv.Lab;

/// <summary>
/// A "container" for dataplane tests: a network namespace with eth0 (one end of a veth pair) holding
/// an address, MAC, MTU and default route; the other end stays in the test's namespace to become an
/// OVS port. Checksum offload is turned off inside, which the userspace datapath needs (LAB.md).
/// Disposing deletes the host end first, then the namespace.
/// </summary>
public sealed class NetnsEndpoint : IAsyncDisposable
{
    public string Namespace { get; }
    /// <summary>The host-side veth name, to be added to a bridge.</summary>
    public string HostInterface { get; }
    public string Address { get; }

    private NetnsEndpoint(string ns, string hostInterface, string address)
    {
        Namespace = ns;
        HostInterface = hostInterface;
        Address = address;
    }

    /// <param name="cidr">e.g. 10.1.0.2/24</param>
    public static async Task<NetnsEndpoint> CreateAsync(string cidr, string mac, string? gateway = null, int mtu = 1450)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var ns = "ctv" + suffix;
        var host = "vh" + suffix;
        var peer = "vp" + suffix;
        var endpoint = new NetnsEndpoint(ns, host, cidr.Split('/')[0]);
        try
        {
            await Run("ip", "netns", "add", ns);
            await Run("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
            await Run("ip", "link", "set", peer, "netns", ns);
            await Run("ip", "-n", ns, "link", "set", peer, "name", "eth0");
            await Run("ip", "-n", ns, "link", "set", "eth0", "address", mac, "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Run("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
            await Run("ip", "-n", ns, "link", "set", "lo", "up");
            await Run("ip", "-n", ns, "link", "set", "eth0", "up");
            if (gateway is not null) await Run("ip", "-n", ns, "route", "add", "default", "via", gateway, "dev", "eth0");
            await Run("ip", "netns", "exec", ns, "ethtool", "-K", "eth0", "tx", "off");
            await Run("ip", "link", "set", host, "up");
            return endpoint;
        }
        catch
        {
            await endpoint.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when <paramref name="target"/> answers at least one of <paramref name="count"/> pings
    /// (one a second) within the timeout each.</summary>
    public async Task<bool> PingAsync(string target, int timeoutSeconds = 2, int count = 1)
    {
        var result = await Exec(TimeSpan.FromSeconds(timeoutSeconds * count + 5),
            "ip", "netns", "exec", Namespace, "ping", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-W", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), target);
        return result.ExitCode == 0;
    }

    /// <summary>Runs a command inside the namespace and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> ExecAsync(TimeSpan timeout, params string[] command) =>
        Exec(timeout, ["ip", "netns", "exec", Namespace, .. command]);

    public async ValueTask DisposeAsync()
    {
        // The host end first: deleting a namespace frees its veths only about a second later.
        await Exec(TimeSpan.FromSeconds(10), "ip", "link", "del", HostInterface);
        await Exec(TimeSpan.FromSeconds(10), "ip", "netns", "del", Namespace);
    }

    /// <summary>Runs a command (ip, ethtool...) and throws with its output when it fails.</summary>
    public static Task Run(params string[] command) => LabCommands.Run(command);

    private static Task<(int ExitCode, string Output)> Exec(TimeSpan timeout, params string[] command) => LabCommands.Exec(timeout, command);
}
