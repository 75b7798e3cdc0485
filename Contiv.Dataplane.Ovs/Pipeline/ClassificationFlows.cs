using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using static Contiv.Dataplane.Ovs.Pipeline.PipelineTables;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>Table 0: where a packet comes from decides its VRF, network, origin flags and (for local ports) source group.</summary>
internal static class ClassificationFlows
{
    public const ushort LocalPortPriority = 200;
    public const ushort SegmentPriority = 100;

    public static IEnumerable<Flow> Build(CompileContext c)
    {
        foreach (var endpoint in c.LocalEndpoints)
        {
            var network = c.NetworkOf(endpoint);
            yield return new Flow(Classification.Id, LocalPortPriority,
                Match.Any.InPort(endpoint.OfPort),
                Instructions.Actions(
                    Registers.Set(Registers.SourceGroup, endpoint.GroupId ?? 0),
                    Registers.Set(Registers.Vrf, network.Vrf),
                    Registers.Set(Registers.SourceNetwork, network.Id),
                    Registers.Set(Registers.Origin, Registers.FromLocalPort)).Then(SpoofGuard.Id),
                c.Cookies.Local(endpoint));
        }

        foreach (var network in c.State.Networks.Values)
        {
            if (network.Encap == Encapsulation.Vxlan)
            {
                // Only tunnel packets carry a non-zero tunnel id, so the VNI alone identifies them.
                yield return new Flow(Classification.Id, SegmentPriority,
                    Match.Any.TunnelId(network.SegmentId),
                    Instructions.Actions(
                        Registers.Set(Registers.Vrf, network.Vrf),
                        Registers.Set(Registers.SourceNetwork, network.Id),
                        Registers.Set(Registers.Origin, Registers.FromTunnel)).Then(SpoofGuard.Id),
                    c.Cookies.Network(network.Id));
            }
            else if (c.CarriesVlanOnUplink(network))
            {
                yield return new Flow(Classification.Id, SegmentPriority,
                    Match.Any.InPort(c.Settings.UplinkPort!.Value).Vlan((ushort)network.SegmentId),
                    Instructions.Actions(
                        new PopVlan(),
                        Registers.Set(Registers.Vrf, network.Vrf),
                        Registers.Set(Registers.SourceNetwork, network.Id),
                        Registers.Set(Registers.Origin, Registers.FromUplink)).Then(SpoofGuard.Id),
                    c.Cookies.Network(network.Id));
            }
        }
    }
}
