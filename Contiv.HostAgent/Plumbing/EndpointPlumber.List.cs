using System.Globalization;
using Contiv.Dataplane.Ovs.Ovsdb;

namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>
    /// The endpoints this host holds: ports on the bridge carrying <see cref="EndpointIdKey"/>, and veths
    /// in the host namespace named like a host end but on no such port (a crash came between the two).
    /// A port whose veth was replaced since (a later veth of the same name) counts as without one: vswitchd
    /// still reads from the old device. The agent owns every such name on the host: reconcile detaches
    /// what it does not know.
    /// </summary>
    public async Task<IReadOnlyList<PlumbedEndpoint>> ListAsync(CancellationToken cancellationToken = default)
    {
        var ports = (await Ovs($"listing the ports of bridge {Bridge}", () => _bridges.ListPortsAsync(Bridge, cancellationToken: cancellationToken)))
            .Where(p => p.ExternalIds.ContainsKey(EndpointIdKey))
            .ToArray();
        var veths = (await _tools.LinksAsync(null, cancellationToken))
            .Where(l => l.IsVeth && EndpointNames.IsHostInterface(l.Name))
            .ToDictionary(l => l.Name, l => l.Index.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);

        bool HasItsVeth(OvsPortInfo port) =>
            veths.TryGetValue(port.Name, out var ifindex) && ifindex == port.ExternalIds.GetValueOrDefault(IfIndexKey, ifindex);

        var onBridge = ports.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var endpoints = ports.Select(p => new PlumbedEndpoint(p.Name, p.ExternalIds[EndpointIdKey], p.ExternalIds.GetValueOrDefault(ContainerIdKey),
            p.OfPort is > 0 ? (int)p.OfPort.Value : null, OnBridge: true, HasVeth: HasItsVeth(p), Attaching: p.ExternalIds.ContainsKey(AttachingKey)));
        var orphans = veths.Keys.Where(v => !onBridge.Contains(v)).Order(StringComparer.Ordinal)
            .Select(v => new PlumbedEndpoint(v, null, null, null, OnBridge: false, HasVeth: true));
        return [.. endpoints, .. orphans];
    }
}
