using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using static Contiv.Dataplane.Ovs.Pipeline.PipelineTables;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// Table 80: the destination network (reg5) and IP pick the way out. In routing mode the frame is
/// rewritten as a router would (source = the destination network's gateway MAC, destination = the
/// endpoint's MAC) — always, so one flow serves same- and cross-network traffic.
/// </summary>
internal static class ForwardingFlows
{
    public const ushort NoTransitPriority = 1000;
    public const ushort EndpointPriority = 200;
    public const ushort ExternalPriority = 50;

    public static IEnumerable<Flow> Fixed(Cookies cookies)
    {
        // What came in from a tunnel or the uplink is delivered to local ports only: no hairpin, no loops.
        yield return new Flow(Forwarding.Id, NoTransitPriority,
            Match.Any.RegBitsClear(Registers.Origin, Registers.FromLocalPort).RegBitsClear(Registers.Destination, Registers.DestinationLocal),
            Instructions.Drop, cookies.Table(Forwarding));
    }

    public static IEnumerable<Flow> Build(CompileContext c)
    {
        foreach (var endpoint in c.LocalEndpoints)
        {
            var network = c.NetworkOf(endpoint);
            yield return new Flow(Forwarding.Id, EndpointPriority, To(network, endpoint.Ip),
                new Instructions { Apply = [.. Rewrite(c, network, endpoint.Mac), new Output(endpoint.OfPort)] },
                c.Cookies.Local(endpoint));
        }

        foreach (var endpoint in c.RemoteEndpoints)
        {
            var network = c.NetworkOf(endpoint);
            yield return new Flow(Forwarding.Id, EndpointPriority, To(network, endpoint.Ip),
                new Instructions { Apply = [.. Rewrite(c, network, endpoint.Mac), .. c.TowardsRemote(network, endpoint.HostVtep)] },
                c.Cookies.Remote(endpoint));
        }

        foreach (var network in c.State.Networks.Values.Where(c.CarriesVlanOnUplink))
        {
            yield return new Flow(Forwarding.Id, ExternalPriority,
                Match.Any.Ip().Reg(Registers.DestinationNetwork, network.Id).RegBitsSet(Registers.Destination, Registers.DestinationExternal),
                new Instructions { Apply = c.TowardsUplink(network) },
                c.Cookies.Network(network.Id));
        }
    }

    private static Match To(Network network, Ipv4 ip) =>
        Match.Any.Reg(Registers.DestinationNetwork, network.Id).Ipv4Dst(ip.Value);

    private static ImmutableArray<FlowAction> Rewrite(CompileContext c, Network network, MacAddress mac) => c.Routing
        ? [new SetField(Field.EthSrc, network.GatewayMac.Value), new SetField(Field.EthDst, mac.Value)]
        : [];
}
