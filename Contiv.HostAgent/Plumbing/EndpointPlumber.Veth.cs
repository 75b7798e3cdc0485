using System.Globalization;

namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>
    /// Makes sure the host end exists and its peer is either still in the host namespace under its
    /// temporary name (an older agent's way) or already in this endpoint's namespace. A pair whose peer
    /// is anywhere else (an earlier namespace of the same endpoint) is replaced. Returns the host end
    /// if this call made the pair, null if it found one to finish.
    /// </summary>
    private async Task<IpLink?> EnsureVethAsync(EndpointAttachment a, Made made, CancellationToken ct)
    {
        var host = await _tools.LinkAsync(null, a.HostInterface, ct);
        if (host is not null && !host.IsVeth)
            throw new PlumbingException($"{a.HostInterface} exists in the host namespace and is not a veth ({host.Kind ?? "no kind"}): not touching it");
        if (host is null) return await MakePairAsync(a, made, ct);

        var inside = await _tools.LinksAsync(a.NetnsPath, ct);
        if (!(host.PeerName == a.TemporaryPeer || inside.Any(l => l.IsPeerAcrossNamespacesOf(host))))
        {
            await _tools.IpAsync(null, ct, "link", "del", "dev", a.HostInterface);
            return await MakePairAsync(a, made, ct);
        }
        foreach (var name in new[] { a.InterfaceName, a.TemporaryPeer })
        {
            var link = inside.FirstOrDefault(l => l.Name == name);
            if (link is not null && !link.IsPeerAcrossNamespacesOf(host)) throw NameTaken(a, name);
        }
        return null;
    }

    /// <summary>
    /// Makes the pair with its container end directly in the namespace, under its final name, with its
    /// MAC and MTU: the kernel creates a link in another namespace in ~2.5 ms but takes ~25 ms to move
    /// one there. One `ip -batch`: the pair (host end up), and the host end read back (its ifindex
    /// goes on the OVS port).
    /// </summary>
    private async Task<IpLink> MakePairAsync(EndpointAttachment a, Made made, CancellationToken ct)
    {
        var mtu = a.Mtu.ToString(CultureInfo.InvariantCulture);
        string output;
        try
        {
            output = await _tools.IpBatchAsync(null, [
                $"link add {a.HostInterface} mtu {mtu} up type veth peer name {a.InterfaceName} netns {a.NetnsPath} mtu {mtu} address {a.Mac.ToLowerInvariant()}",
                // No IPv6 link-local address on the host end (an OVS port needs none), set before the peer is up
                // and the carrier would make one: every address change in the host namespace has ovs-vswitchd
                // dump all links and addresses (getifaddrs), which grows with the endpoints on the host.
                $"link set dev {a.HostInterface} addrgenmode none",
                $"link show dev {a.HostInterface}",
            ], ct);
        }
        catch (Exception e) when (e is PlumbingException or OperationCanceledException)
        {
            // The name was free a moment ago and only this endpoint's actor makes it: if it exists now, it is ours to undo.
            made.Veth = await HasLinkAsync(null, a.HostInterface);
            if (e is PlumbingException && !made.Veth && await HasLinkAsync(a.NetnsPath, a.InterfaceName)) throw NameTaken(a, a.InterfaceName, e);
            throw;
        }
        made.Veth = true;
        return IpLink.ParseList(output).SingleOrDefault(l => l.Name == a.HostInterface)
               ?? throw new PlumbingException($"{a.HostInterface} was made but `ip link show` did not show it: {output}");
    }

    /// <summary>Whether the namespace has a link of this name; false too if it cannot be read (the caller has an error to report already).</summary>
    private async Task<bool> HasLinkAsync(string? netns, string name)
    {
        try { return await _tools.LinkAsync(netns, name, CancellationToken.None) is not null; }
        catch (PlumbingException) { return false; }
    }

    private static PlumbingException NameTaken(EndpointAttachment a, string name, Exception? inner = null) =>
        new($"network namespace {a.NetnsPath} already has an interface {name} that is not the peer of {a.HostInterface}", inner);

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
