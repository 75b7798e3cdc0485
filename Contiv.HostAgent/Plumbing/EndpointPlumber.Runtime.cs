using System.Globalization;

namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>
    /// The pair for a runtime that moves the container end itself (Docker: Join names the interface and
    /// dockerd moves it into the sandbox, names it eth0 and sets its address). The peer stays in the host
    /// namespace under <see cref="EndpointAttachment.TemporaryPeer"/> with the endpoint's MAC and MTU and
    /// transmit checksum offload off (a device setting: it survives the move). A pair whose peer the
    /// runtime has already taken is kept as it is.
    /// </summary>
    private async Task EnsureVethForRuntimeAsync(EndpointAttachment a, Made made, CancellationToken ct)
    {
        var host = await _tools.LinkAsync(null, a.HostInterface, ct);
        if (host is not null && !host.IsVeth)
            throw new PlumbingException($"{a.HostInterface} exists in the host namespace and is not a veth ({host.Kind ?? "no kind"}): not touching it");
        var peer = await _tools.LinkAsync(null, a.TemporaryPeer, ct);
        if (host is not null && host.PeerName is not null && host.PeerName != a.TemporaryPeer)
        {
            // Both ends in the host namespace but not each other's: a leftover of something else.
            await _tools.IpAsync(null, ct, "link", "del", "dev", a.HostInterface);
            host = null;
        }
        if (host is null)
        {
            if (peer is not null) await _tools.IpAsync(null, ct, "link", "del", "dev", a.TemporaryPeer);
            var mtu = a.Mtu.ToString(CultureInfo.InvariantCulture);
            await _tools.IpAsync(null, ct, "link", "add", a.HostInterface, "mtu", mtu, "type", "veth", "peer", "name", a.TemporaryPeer, "mtu", mtu,
                "address", a.Mac.ToLowerInvariant());
            made.Veth = true;
            peer = await _tools.LinkAsync(null, a.TemporaryPeer, ct);
        }
        if (peer is null) return; // the runtime has it already
        var set = new List<string>();
        if (!string.Equals(peer.Mac, a.Mac, StringComparison.OrdinalIgnoreCase)) set.AddRange(["address", a.Mac.ToLowerInvariant()]);
        if (peer.Mtu != a.Mtu) set.AddRange(["mtu", a.Mtu.ToString(CultureInfo.InvariantCulture)]);
        if (set.Count > 0) await _tools.IpAsync(null, ct, ["link", "set", "dev", a.TemporaryPeer, .. set]);
        if (!await _tools.TxChecksumOffAsync(null, a.TemporaryPeer, ct))
            await _tools.EthtoolAsync(null, ct, "-K", a.TemporaryPeer, "tx", "off");
    }
}
