namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>
    /// The endpoints this host holds: ports on the bridge carrying <see cref="EndpointIdKey"/>, and veths
    /// in the host namespace named like a host end but on no such port (a crash came between the two).
    /// The agent owns every such name on the host: reconcile detaches what it does not know.
    /// </summary>
    public async Task<IReadOnlyList<PlumbedEndpoint>> ListAsync(CancellationToken cancellationToken = default)
    {
        var ports = (await Ovs($"listing the ports of bridge {Bridge}", () => _bridges.ListPortsAsync(Bridge, cancellationToken: cancellationToken)))
            .Where(p => p.ExternalIds.ContainsKey(EndpointIdKey))
            .ToArray();
        var veths = (await _tools.LinksAsync(null, cancellationToken))
            .Where(l => l.IsVeth && EndpointNames.IsHostInterface(l.Name))
            .Select(l => l.Name)
            .ToHashSet(StringComparer.Ordinal);
        var onBridge = ports.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return ports
            .Select(p => new PlumbedEndpoint(p.Name, p.ExternalIds[EndpointIdKey], p.ExternalIds.GetValueOrDefault(ContainerIdKey),
                p.OfPort is > 0 ? (int)p.OfPort.Value : null, OnBridge: true, HasVeth: veths.Contains(p.Name)))
            .Concat(veths.Where(v => !onBridge.Contains(v)).Order(StringComparer.Ordinal)
                .Select(v => new PlumbedEndpoint(v, null, null, null, OnBridge: false, HasVeth: true)))
            .ToArray();
    }
}
