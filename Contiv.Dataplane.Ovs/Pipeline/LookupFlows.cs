using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using static Contiv.Dataplane.Ovs.Pipeline.PipelineTables;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// Tables 25 and 30: endpoints' addresses → groups and networks in registers, so that rules match
/// on registers and the flow count stays endpoints + rules. Every lookup is scoped: by the source
/// network in bridge mode, by the VRF in routing mode — a lookup never crosses tenants.
/// </summary>
internal static class LookupFlows
{
    public const ushort EndpointPriority = 200;
    public const ushort ExternalPriority = 50;

    public static IEnumerable<Flow> Build(CompileContext c)
    {
        foreach (var endpoint in c.RemoteEndpoints)
        {
            var network = c.NetworkOf(endpoint);
            yield return new Flow(SourceLookup.Id, EndpointPriority,
                Match.Any.Reg(Registers.Vrf, network.Vrf).Ipv4Src(endpoint.Ip.Value),
                // In routing mode a packet travels in its destination's segment: the source network comes from here.
                Instructions.Actions(
                    Registers.Set(Registers.SourceGroup, endpoint.GroupId ?? 0),
                    Registers.Set(Registers.SourceNetwork, network.Id)).Then(DestinationLookup.Id),
                c.Cookies.Remote(endpoint));
            yield return Destination(c, network, endpoint.Ip, endpoint.GroupId, Registers.DestinationRemote, c.Cookies.Remote(endpoint));
        }

        foreach (var endpoint in c.LocalEndpoints)
        {
            yield return Destination(c, c.NetworkOf(endpoint), endpoint.Ip, endpoint.GroupId, Registers.DestinationLocal, c.Cookies.Local(endpoint));
        }

        // Addresses on a VLAN network that no endpoint holds live outside Contiv, behind the uplink.
        foreach (var network in c.State.Networks.Values.Where(c.CarriesVlanOnUplink))
        {
            yield return new Flow(DestinationLookup.Id, ExternalPriority,
                Match.Any.Ip().Reg(Registers.SourceNetwork, network.Id),
                Instructions.Actions(
                    Registers.Set(Registers.DestinationGroup, 0),
                    Registers.Set(Registers.DestinationNetwork, network.Id),
                    Registers.Set(Registers.Destination, Registers.DestinationExternal)).Then(ConntrackEnter.Id),
                c.Cookies.Network(network.Id));
        }
    }

    private static Flow Destination(CompileContext c, Network network, Ipv4 ip, uint? group, uint locality, ulong cookie)
    {
        var scope = c.Routing
            ? Match.Any.Reg(Registers.Vrf, network.Vrf)
            : Match.Any.Reg(Registers.SourceNetwork, network.Id);
        return new Flow(DestinationLookup.Id, EndpointPriority,
            scope.Ipv4Dst(ip.Value),
            Instructions.Actions(
                Registers.Set(Registers.DestinationGroup, group ?? 0),
                Registers.Set(Registers.DestinationNetwork, network.Id),
                Registers.Set(Registers.Destination, locality)).Then(ConntrackEnter.Id),
            cookie);
    }
}
