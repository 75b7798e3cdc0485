using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// Two "all" groups per network: <see cref="AllId"/> reaches local ports, every remote VTEP with an
/// endpoint of the network, and the uplink (VLAN); <see cref="LocalId"/> reaches local ports only.
/// Group ids: 0x10000000 | network id &lt;&lt; 1 | (1 for local-only).
/// </summary>
public static class FloodGroups
{
    private const uint Base = 0x1000_0000;

    public static uint AllId(uint networkId) => Base | (networkId << 1);
    public static uint LocalId(uint networkId) => Base | (networkId << 1) | 1;

    internal static IEnumerable<GroupEntry> Build(CompileContext c)
    {
        var localByNetwork = c.LocalEndpoints.ToLookup(e => e.NetworkId);
        var remoteByNetwork = c.RemoteEndpoints.ToLookup(e => e.NetworkId);
        foreach (var network in c.State.Networks.Values)
        {
            ImmutableArray<Bucket> local =
            [
                .. localByNetwork[network.Id].Select(e => e.OfPort).Distinct().Order()
                    .Select(port => new Bucket([new Output(port)])),
            ];
            IEnumerable<Bucket> remote = network.Encap == Encapsulation.Vxlan
                ? remoteByNetwork[network.Id].Select(e => e.HostVtep).Distinct().Order()
                    .Select(vtep => new Bucket(c.TowardsRemote(network, vtep)))
                : c.CarriesVlanOnUplink(network) ? [new Bucket(c.TowardsUplink(network))] : [];
            yield return new GroupEntry(AllId(network.Id), GroupType.All, [.. local, .. remote]);
            yield return new GroupEntry(LocalId(network.Id), GroupType.All, local);
        }
    }
}
