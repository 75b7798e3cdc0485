namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>
    /// Removes the endpoint's OVS port and veth pair. Anything already missing is fine, as is a
    /// <paramref name="netnsPath"/> that no longer exists (the container is gone, and its end with it).
    /// </summary>
    public Task DetachAsync(string endpointId, string? netnsPath, CancellationToken cancellationToken = default) =>
        DetachInterfaceAsync(EndpointNames.HostInterface(endpointId), netnsPath, cancellationToken);

    /// <summary><see cref="DetachAsync"/> by host interface name, for an orphan <see cref="ListAsync"/>
    /// found (whose endpoint id cannot be recovered from the name).</summary>
    public async Task DetachInterfaceAsync(string hostInterface, string? netnsPath, CancellationToken cancellationToken = default)
    {
        var peer = EndpointNames.PeerOf(hostInterface);
        await Ovs($"removing port {hostInterface} from bridge {Bridge}", () => _bridges.RemovePortAsync(Bridge, hostInterface, cancellationToken));
        // Deleting one end of a veth deletes the other, in whichever namespace and under whichever name.
        await DeleteLinkAsync(null, hostInterface, cancellationToken);
        // So only a peer whose pair was broken some other way could remain: under its temporary name,
        // in the host or the container. Cheap to make sure of.
        await DeleteLinkAsync(null, peer, cancellationToken);
        if (netnsPath is not null && Path.Exists(netnsPath))
        {
            try
            {
                await DeleteLinkAsync(netnsPath, peer, cancellationToken);
            }
            catch (PlumbingException) when (!Path.Exists(netnsPath))
            {
                // the container went away meanwhile
            }
        }
    }

    private async Task DeleteLinkAsync(string? netns, string name, CancellationToken ct)
    {
        if (await _tools.LinkAsync(netns, name, ct) is null) return;
        try
        {
            await _tools.IpAsync(netns, ct, "link", "del", "dev", name);
        }
        catch (PlumbingException)
        {
            // Deleted meanwhile (with its peer, say) is all we wanted; anything else is an error.
            if (await _tools.LinkAsync(netns, name, ct) is not null) throw;
        }
    }
}
