using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Tests.Pipeline;

/// <summary>An endpoint of a test cluster: which host it lives on and what it is.</summary>
internal sealed record ClusterEndpoint(string Id, int Host, uint Port, MacAddress Mac, Ipv4 Ip, uint Network, uint? Group);

/// <summary>
/// The desired state of a small cluster, from which each host's <see cref="HostState"/> is cut:
/// host h has VTEP 198.51.100.(h+1), its tunnel to host k is ofport 1000+k, its uplink ofport 100.
/// </summary>
internal sealed record Cluster(
    ForwardingMode Forwarding,
    ArpMode Arp,
    ImmutableArray<Network> Networks,
    ImmutableArray<EndpointGroup> Groups,
    ImmutableArray<Policy> Policies,
    ImmutableArray<(uint Group, uint Policy)> Attachments,
    ImmutableArray<ClusterEndpoint> Endpoints,
    int Hosts = 1)
{
    public const uint UplinkPort = 100;

    public static Ipv4 Vtep(int host) => new(Ipv4.Parse("198.51.100.1").Value + (uint)host);
    public static uint TunnelPort(int toHost) => 1000 + (uint)toHost;

    public HostState For(int host)
    {
        var state = new HostState(new HostSettings(Forwarding, Arp, UplinkPort, Vtep(host)));
        foreach (var network in Networks) state = state.WithNetwork(network);
        foreach (var group in Groups) state = state.WithGroup(group);
        foreach (var policy in Policies) state = state.WithPolicy(policy);
        foreach (var (group, policy) in Attachments) state = state.Attach(group, policy);
        for (var other = 0; other < Hosts; other++)
        {
            if (other != host) state = state.WithVtep(Vtep(other), TunnelPort(other));
        }
        foreach (var e in Endpoints)
        {
            state = e.Host == host
                ? state.WithLocalEndpoint(new LocalEndpoint(e.Id, e.Port, e.Mac, e.Ip, e.Network, e.Group))
                : state.WithRemoteEndpoint(new RemoteEndpoint(e.Id, e.Mac, e.Ip, e.Network, e.Group, Vtep(e.Host)));
        }
        return state;
    }

    public Network NetworkOf(ClusterEndpoint e) => Networks.Single(n => n.Id == e.Network);

    /// <summary>The first packet of a connection from one endpoint to another, as it leaves the source's port.</summary>
    public static Dictionary<Field, ulong> Packet(ClusterEndpoint from, ClusterEndpoint to, byte protocol, ushort port)
    {
        var packet = new Dictionary<Field, ulong>
        {
            [Field.InPort] = from.Port,
            [Field.EthSrc] = from.Mac.Value,
            [Field.EthDst] = to.Mac.Value,
            [Field.EthType] = 0x0800,
            [Field.Ipv4Src] = from.Ip.Value,
            [Field.Ipv4Dst] = to.Ip.Value,
            [Field.IpProto] = protocol,
        };
        if (protocol == IpProtocol.Tcp) packet[Field.TcpDst] = port;
        if (protocol == IpProtocol.Udp) packet[Field.UdpDst] = port;
        return packet;
    }

    /// <summary>The two-tenant world most tests use; every endpoint on host 0 unless spread over hosts.</summary>
    public static Cluster TwoTenants(ForwardingMode forwarding, ArpMode arp = ArpMode.Proxy, int hosts = 1, IEnumerable<Policy>? policies = null,
        IEnumerable<(uint, uint)>? attachments = null)
    {
        ImmutableArray<Network> networks =
        [
            new(1, 1, Encapsulation.Vxlan, 5001, "10.1.0.0/24", "10.1.0.1", "02:00:00:00:01:01"),
            new(2, 1, Encapsulation.Vxlan, 5002, "10.2.0.0/24", "10.2.0.1", "02:00:00:00:02:01"),
            new(3, 2, Encapsulation.Vxlan, 6001, "10.1.0.0/24", "10.1.0.1", "02:00:00:00:03:01"), // tenant 2 reuses tenant 1's subnet
            new(4, 1, Encapsulation.Vlan, 40, "10.4.0.0/24", "10.4.0.1", "02:00:00:00:04:01"),
        ];
        ImmutableArray<EndpointGroup> groups = [new(1, 1, 1), new(2, 1, 1), new(3, 1, 2), new(4, 1, 4), new(5, 2, 3)];
        var endpoints = new List<ClusterEndpoint>();
        var index = 0;
        void Add(uint network, uint? group, string ip)
        {
            var host = index % hosts;
            endpoints.Add(new ClusterEndpoint($"ep{index}", host, 10 + (uint)index, new MacAddress(0x0200_0a00_0000UL + (ulong)index + 1), ip, network, group));
            index++;
        }
        Add(1, 1, "10.1.0.11");
        Add(1, 1, "10.1.0.12");
        Add(1, 2, "10.1.0.21");
        Add(1, null, "10.1.0.99");
        Add(2, 3, "10.2.0.31");
        Add(2, 3, "10.2.0.32");
        Add(4, 4, "10.4.0.41");
        Add(4, 4, "10.4.0.42");
        Add(3, 5, "10.1.0.11"); // same address as ep0, other tenant
        Add(3, 5, "10.1.0.52");
        return new Cluster(forwarding, arp, networks, groups, [.. policies ?? []], [.. attachments ?? []], [.. endpoints], hosts);
    }
}
