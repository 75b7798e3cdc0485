namespace Contiv.Dataplane.Ovs.HostModel;

/// <summary>Bridge mode: endpoints reach only their own network. Routing mode: all networks of a tenant are routed.</summary>
public enum ForwardingMode
{
    Bridge,
    Routing,
}

/// <summary>Proxy: the switch answers ARP for every known endpoint. Flood: ARP is flooded inside the network.</summary>
public enum ArpMode
{
    Proxy,
    Flood,
}

/// <param name="Forwarding">bridge or routing</param>
/// <param name="Arp">proxy or flood</param>
/// <param name="UplinkPort">the ofport of the uplink that carries VLAN networks (tagged); none: VLAN networks stay local</param>
/// <param name="VtepIp">this host's VXLAN tunnel endpoint address (remote endpoints behind it are ignored)</param>
public sealed record HostSettings(ForwardingMode Forwarding, ArpMode Arp, uint? UplinkPort, Ipv4 VtepIp);
