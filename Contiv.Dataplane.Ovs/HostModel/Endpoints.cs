namespace Contiv.Dataplane.Ovs.HostModel;

/// <summary>An endpoint attached to a port of this host's bridge. A null group means "in no group" (register value 0).</summary>
public sealed record LocalEndpoint(string Id, uint OfPort, MacAddress Mac, Ipv4 Ip, uint NetworkId, uint? GroupId);

/// <summary>An endpoint on another host, reached through that host's VTEP (VXLAN) or the uplink (VLAN).</summary>
public sealed record RemoteEndpoint(string Id, MacAddress Mac, Ipv4 Ip, uint NetworkId, uint? GroupId, Ipv4 HostVtep);
