using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using static Contiv.Dataplane.Ovs.Pipeline.PipelineTables;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// Table 20. The gateway is always answered by the switch (it exists nowhere else); in proxy mode
/// every known endpoint of the asker's network is too. Requests from local ports the switch does
/// not answer, and all other ARP, are flooded inside the network: from a local port to local
/// ports, tunnels and the uplink; from a tunnel or the uplink to local ports only (no loops).
/// </summary>
internal static class ArpFlows
{
    public const ushort ResponderPriority = 300;
    public const ushort FloodPriority = 100;
    private const ushort ArpRequest = 1;
    private const ushort ArpReply = 2;

    public static IEnumerable<Flow> Build(CompileContext c)
    {
        foreach (var network in c.State.Networks.Values)
        {
            yield return Responder(network.Id, network.Gateway, network.GatewayMac, c.Cookies.Network(network.Id));
            var inNetwork = Match.Any.Arp().Reg(Registers.SourceNetwork, network.Id);
            yield return new Flow(Arp.Id, FloodPriority,
                inNetwork.RegBitsSet(Registers.Origin, Registers.FromLocalPort),
                Instructions.Actions(new ToGroup(FloodGroups.AllId(network.Id))),
                c.Cookies.Network(network.Id));
            yield return new Flow(Arp.Id, FloodPriority,
                inNetwork.RegBitsClear(Registers.Origin, Registers.FromLocalPort),
                Instructions.Actions(new ToGroup(FloodGroups.LocalId(network.Id))),
                c.Cookies.Network(network.Id));
        }

        if (c.Settings.Arp != ArpMode.Proxy) yield break;
        foreach (var endpoint in c.LocalEndpoints)
        {
            yield return Responder(endpoint.NetworkId, endpoint.Ip, endpoint.Mac, c.Cookies.Local(endpoint));
        }
        foreach (var endpoint in c.RemoteEndpoints)
        {
            yield return Responder(endpoint.NetworkId, endpoint.Ip, endpoint.Mac, c.Cookies.Remote(endpoint));
        }
    }

    /// <summary>Turns a request for <paramref name="ip"/> into the reply "ip is at mac" and sends it back where it came from.</summary>
    private static Flow Responder(uint networkId, Ipv4 ip, MacAddress mac, ulong cookie) => new(Arp.Id, ResponderPriority,
        Match.Any.Reg(Registers.SourceNetwork, networkId).RegBitsSet(Registers.Origin, Registers.FromLocalPort).ArpOp(ArpRequest).ArpTpa(ip.Value),
        Instructions.Actions(
            new Move(Field.EthSrc, Field.EthDst),
            new SetField(Field.EthSrc, mac.Value),
            new SetField(Field.ArpOp, ArpReply),
            new Move(Field.ArpSha, Field.ArpTha),
            new Move(Field.ArpSpa, Field.ArpTpa),
            new SetField(Field.ArpSha, mac.Value),
            new SetField(Field.ArpSpa, ip.Value),
            new Output(Ports.InPort)),
        cookie);
}
