using System.Globalization;

namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>
    /// Makes sure the host end exists and its peer is either still in the host namespace under its
    /// temporary name or already in this endpoint's namespace. A pair whose peer is anywhere else (an
    /// earlier namespace of the same endpoint) is replaced.
    /// </summary>
    private async Task EnsureVethAsync(EndpointAttachment a, Made made, CancellationToken ct)
    {
        var host = await _tools.LinkAsync(null, a.HostInterface, ct);
        if (host is not null && !host.IsVeth)
            throw new PlumbingException($"{a.HostInterface} exists in the host namespace and is not a veth ({host.Kind ?? "no kind"}): not touching it");
        // Read before anything is made: this is also what proves the path is a network namespace.
        var inside = await _tools.LinksAsync(a.NetnsPath, ct);
        if (host is not null && !(host.PeerName == a.TemporaryPeer || inside.Any(l => l.IsPeerAcrossNamespacesOf(host))))
        {
            await _tools.IpAsync(null, ct, "link", "del", "dev", a.HostInterface);
            host = null;
        }
        foreach (var name in new[] { a.InterfaceName, a.TemporaryPeer })
        {
            var link = inside.FirstOrDefault(l => l.Name == name);
            if (link is not null && (host is null || !link.IsPeerAcrossNamespacesOf(host)))
                throw new PlumbingException($"network namespace {a.NetnsPath} already has an interface {name} that is not the peer of {a.HostInterface}");
        }
        if (host is null)
        {
            var mtu = a.Mtu.ToString(CultureInfo.InvariantCulture);
            await _tools.IpAsync(null, ct, "link", "add", a.HostInterface, "mtu", mtu, "type", "veth", "peer", "name", a.TemporaryPeer, "mtu", mtu,
                "address", a.Mac.ToLowerInvariant());
            made.Veth = true;
        }
    }

    /// <summary>Moves the peer into the namespace if it is not there yet, and names it as asked.
    /// Returns it as it is inside afterwards.</summary>
    private async Task<IpLink> EnsurePeerInsideAsync(EndpointAttachment a, CancellationToken ct)
    {
        var host = await HostEndAsync(a, ct);
        if (host.PeerName is not null)
        {
            // ip takes a netns argument containing '/' as a path (the attachment's is absolute).
            await _tools.IpAsync(null, ct, "link", "set", "dev", a.TemporaryPeer, "netns", a.NetnsPath!);
            host = await HostEndAsync(a, ct);
        }
        var inside = (await _tools.LinksAsync(a.NetnsPath, ct)).FirstOrDefault(l => l.IsPeerAcrossNamespacesOf(host))
            ?? throw new PlumbingException($"the peer of {a.HostInterface} is not in network namespace {a.NetnsPath}");
        if (inside.Name == a.InterfaceName) return inside;
        // The kernel renames only a link that is down.
        if (inside.Up) await _tools.IpAsync(a.NetnsPath, ct, "link", "set", "dev", inside.Name, "down");
        await _tools.IpAsync(a.NetnsPath, ct, "link", "set", "dev", inside.Name, "name", a.InterfaceName);
        return inside with { Name = a.InterfaceName, Up = false };
    }

    private async Task<IpLink> HostEndAsync(EndpointAttachment a, CancellationToken ct) =>
        await _tools.LinkAsync(null, a.HostInterface, ct)
        ?? throw new PlumbingException($"{a.HostInterface} vanished from the host namespace during the attach");
}
