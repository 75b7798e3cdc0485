using System.Globalization;

namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>MAC, MTU, the one address, lo and the interface up, default route, checksum offload off:
    /// each compared first and written only if it differs.</summary>
    private async Task ConfigureInsideAsync(EndpointAttachment a, IpLink link, CancellationToken ct)
    {
        var (ns, dev) = (a.NetnsPath, a.InterfaceName);
        var set = new List<string>();
        if (!string.Equals(link.Mac, a.Mac, StringComparison.OrdinalIgnoreCase)) set.AddRange(["address", a.Mac.ToLowerInvariant()]);
        if (link.Mtu != a.Mtu) set.AddRange(["mtu", a.Mtu.ToString(CultureInfo.InvariantCulture)]);
        if (set.Count > 0) await _tools.IpAsync(ns, ct, ["link", "set", "dev", dev, .. set]);

        var addresses = await _tools.Ipv4AddressesAsync(ns, dev, ct);
        // Exactly one address: one left by an earlier attach with another address would still answer.
        foreach (var stale in addresses.Where(x => x != a.Cidr))
            await _tools.IpAsync(ns, ct, "addr", "del", stale, "dev", dev);
        if (!addresses.Contains(a.Cidr)) await _tools.IpAsync(ns, ct, "addr", "add", a.Cidr, "dev", dev);

        var lo = await _tools.LinkAsync(ns, "lo", ct);
        if (lo is { Up: false }) await _tools.IpAsync(ns, ct, "link", "set", "dev", "lo", "up");
        if (!link.Up) await _tools.IpAsync(ns, ct, "link", "set", "dev", dev, "up");

        if (a.Gateway is not null)
        {
            // After the link is up: the kernel accepts a gateway only on a link with a route to it.
            var (gateway, routeDev) = await _tools.DefaultRouteAsync(ns, ct);
            if (!a.Gateway.Equals(gateway) || routeDev != dev)
                await _tools.IpAsync(ns, ct, "route", "replace", "default", "via", a.Gateway.ToString(), "dev", dev);
        }

        if (!await _tools.TxChecksumOffAsync(ns, dev, ct))
            await _tools.EthtoolAsync(ns, ct, "-K", dev, "tx", "off");
    }

    /// <summary>
    /// A pair this attach has just made (in the namespace under its name, MAC and MTU set, host end up):
    /// its state is known, so nothing is read back and the writes go in two commands, one `ip -batch`
    /// inside (address, lo and the interface up, default route) and the offload off. Each command is
    /// a process; this saves about fifteen of them per endpoint. A crash in between leaves a pair the
    /// next attach finds made and finishes step by step (<see cref="ConfigureInsideAsync"/>).
    /// </summary>
    private async Task ConfigureFreshPairAsync(EndpointAttachment a, CancellationToken ct)
    {
        var (ns, dev) = (a.NetnsPath!, a.InterfaceName);
        var batch = new List<string>
        {
            $"addr add {a.Cidr} dev {dev}",
            "link set dev lo up",
            $"link set dev {dev} up",
        };
        // After the link is up: the kernel accepts a gateway only on a link with a route to it.
        if (a.Gateway is not null) batch.Add($"route replace default via {a.Gateway} dev {dev}");
        await _tools.IpBatchAsync(ns, batch, ct);
        await _tools.EthtoolAsync(ns, ct, "-K", dev, "tx", "off");
    }

    private async Task ConfigureHostEndAsync(EndpointAttachment a, CancellationToken ct)
    {
        var host = await HostEndAsync(a, ct);
        if (host.Mtu != a.Mtu) await _tools.IpAsync(null, ct, "link", "set", "dev", a.HostInterface, "mtu", a.Mtu.ToString(CultureInfo.InvariantCulture));
        if (!host.Up) await _tools.IpAsync(null, ct, "link", "set", "dev", a.HostInterface, "up");
    }
}
