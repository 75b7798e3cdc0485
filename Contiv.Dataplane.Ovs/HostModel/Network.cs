namespace Contiv.Dataplane.Ovs.HostModel;

public enum Encapsulation
{
    Vlan,
    Vxlan,
}

/// <summary>
/// A network as the dataplane needs it. <paramref name="Vrf"/> numbers the tenant (it is also the
/// conntrack zone, so it is below 65536); <paramref name="SegmentId"/> is the VLAN id (1..4094) or the VNI (1..2^24-1).
/// The gateway is virtual: the switch answers ARP for it and, in routing mode, routes through its MAC.
/// </summary>
public sealed record Network(uint Id, uint Vrf, Encapsulation Encap, uint SegmentId, Ipv4Prefix Subnet, Ipv4 Gateway, MacAddress GatewayMac);

/// <summary>An endpoint group (Contiv EPG): a number that endpoints carry in a register and rules match on.</summary>
public sealed record EndpointGroup(uint Id, uint Vrf, uint NetworkId);
