using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// The host state with the indexes the flow builders share, computed once per compile. Endpoints
/// whose network is unknown are left out; so are remote endpoints that cannot be reached (a VXLAN
/// endpoint whose VTEP has no tunnel port, a VLAN endpoint with no uplink, one behind our own VTEP).
/// </summary>
internal sealed class CompileContext
{
    public HostState State { get; }
    public HostSettings Settings => State.Settings;
    public Cookies Cookies { get; }
    public bool Routing => Settings.Forwarding == ForwardingMode.Routing;

    public ImmutableArray<LocalEndpoint> LocalEndpoints { get; }
    public ImmutableArray<RemoteEndpoint> RemoteEndpoints { get; }
    public ImmutableArray<uint> Vrfs { get; }

    /// <summary>groups with at least one local endpoint: only their rules can ever match here</summary>
    public ImmutableHashSet<uint> GroupsWithLocalEndpoints { get; }

    public CompileContext(HostState state, byte round)
    {
        State = state;
        Cookies = new Cookies(round);
        foreach (var network in state.Networks.Values)
        {
            if (network.Vrf > ushort.MaxValue) throw new ArgumentException($"network {network.Id}: VRF {network.Vrf} does not fit a conntrack zone (0..65535)");
        }
        LocalEndpoints = [.. state.LocalEndpoints.Values.Where(e => state.Networks.ContainsKey(e.NetworkId))];
        RemoteEndpoints = [.. state.RemoteEndpoints.Values.Where(IsReachable)];
        Vrfs = [.. state.Networks.Values.Select(n => n.Vrf).Distinct().Order()];
        GroupsWithLocalEndpoints = LocalEndpoints.Where(e => e.GroupId is not null).Select(e => e.GroupId!.Value).ToImmutableHashSet();
    }

    public Network NetworkOf(LocalEndpoint endpoint) => State.Networks[endpoint.NetworkId];
    public Network NetworkOf(RemoteEndpoint endpoint) => State.Networks[endpoint.NetworkId];

    /// <summary>The tunnel port towards a remote VTEP (only called for reachable endpoints).</summary>
    public uint TunnelPort(Ipv4 vtep) => State.Vteps[vtep];

    public bool CarriesVlanOnUplink(Network network) => network.Encap == Encapsulation.Vlan && Settings.UplinkPort is not null;

    private bool IsReachable(RemoteEndpoint endpoint)
    {
        if (!State.Networks.TryGetValue(endpoint.NetworkId, out var network)) return false;
        return network.Encap == Encapsulation.Vxlan
            ? endpoint.HostVtep != Settings.VtepIp && State.Vteps.ContainsKey(endpoint.HostVtep)
            : Settings.UplinkPort is not null;
    }

    /// <summary>The actions that send a packet out of this host towards a remote endpoint's network segment.</summary>
    public ImmutableArray<FlowAction> TowardsRemote(Network network, Ipv4 vtep) => network.Encap == Encapsulation.Vxlan
        ? [new SetField(Field.TunnelId, network.SegmentId), new SetField(Field.TunIpv4Dst, vtep.Value), new Output(TunnelPort(vtep))]
        : TowardsUplink(network);

    public ImmutableArray<FlowAction> TowardsUplink(Network network) =>
        [new PushVlan(), new SetField(Field.VlanVid, 0x1000u | network.SegmentId), new Output(Settings.UplinkPort!.Value)];
}
