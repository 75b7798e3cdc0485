using Contiv.Dataplane.Ovs.Flows;
using static Contiv.Dataplane.Ovs.Pipeline.PipelineTables;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>Table 10: a local port may send only its own MAC and IP; what arrives from a tunnel or the uplink was guarded at its origin.</summary>
internal static class SpoofGuardFlows
{
    public const ushort EndpointPriority = 200;
    public const ushort RemoteOriginPriority = 100;

    public static IEnumerable<Flow> Build(CompileContext c)
    {
        foreach (var endpoint in c.LocalEndpoints)
        {
            var port = Match.Any.InPort(endpoint.OfPort).EthSrc(endpoint.Mac);
            yield return new Flow(SpoofGuard.Id, EndpointPriority,
                port.Ipv4Src(endpoint.Ip.Value),
                Instructions.Goto(DestinationLookup.Id),
                c.Cookies.Local(endpoint));
            yield return new Flow(SpoofGuard.Id, EndpointPriority,
                port.ArpSpa(endpoint.Ip.Value).ArpSha(endpoint.Mac),
                Instructions.Goto(Arp.Id),
                c.Cookies.Local(endpoint));
        }
    }

    public static IEnumerable<Flow> Fixed(Cookies cookies)
    {
        var remoteOrigin = Match.Any.RegBitsClear(Registers.Origin, Registers.FromLocalPort);
        yield return new Flow(SpoofGuard.Id, RemoteOriginPriority, remoteOrigin.Arp(), Instructions.Goto(Arp.Id), cookies.Table(SpoofGuard));
        yield return new Flow(SpoofGuard.Id, RemoteOriginPriority, remoteOrigin.Ip(), Instructions.Goto(SourceLookup.Id), cookies.Table(SpoofGuard));
    }
}
