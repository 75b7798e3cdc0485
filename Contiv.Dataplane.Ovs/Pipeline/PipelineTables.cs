using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>What a table does with a packet no flow of it matches.</summary>
public enum TableMiss
{
    Drop,
    /// <summary>continue in the next declared table</summary>
    GotoNext,
}

/// <summary>One table of the pipeline: its number, name, purpose and miss behaviour.</summary>
public sealed record TableDescriptor(byte Id, string Name, string Purpose, TableMiss Miss);

/// <summary>
/// The pipeline, declared once as data. Every compiled flow lives in one of these tables and only
/// jumps forward to another of them; each table's miss flow (priority 0) comes from its declaration.
///
/// <code>
///   0 Classification ─► 10 SpoofGuard ─┬─ arp ─► 20 Arp (answer / flood)
///                                      ├─ ip from a local port ──────────────► 30 DestinationLookup
///                                      └─ ip from tunnel/uplink ─► 25 SourceLookup ─► 30
///  30 ─► 40 ConntrackEnter ─ct(zone=VRF)─► 41 ConntrackState ─┬─ +est/+rel ──────────► 80 Forwarding
///                                                             └─ +new ─► 50 EgressPolicy ─► 60 IngressPolicy ─► 70 Commit ─► 80
/// </code>
///
/// Policy is judged where the endpoint lives: the egress table judges only packets whose source
/// is a local port (a remote source was judged on its own host), the ingress table only packets
/// whose destination is a local port (a remote destination is judged on its host).
/// </summary>
public static class PipelineTables
{
    public const ushort MissPriority = 0;

    public static readonly TableDescriptor Classification = new(0, "Classification",
        "in_port of a local endpoint → source group, VRF, network, from-local flag; VXLAN ingress by VNI and uplink ingress by VLAN (popped) → VRF, network, from-remote flag",
        TableMiss.Drop);

    public static readonly TableDescriptor SpoofGuard = new(10, "SpoofGuard",
        "a local port may send only its own MAC and IP (ARP sha/spa too); traffic from tunnels and the uplink passes; everything else (IPv6, foreign sources) is dropped",
        TableMiss.Drop);

    public static readonly TableDescriptor Arp = new(20, "Arp",
        "proxy mode: answers requests from local ports for known endpoints and gateways in the switch (reply built with moves/set_field, out IN_PORT); otherwise floods inside the network through its flood group",
        TableMiss.Drop);

    public static readonly TableDescriptor SourceLookup = new(25, "SourceLookup",
        "IP from a tunnel or the uplink: source IP of a known remote endpoint (per VRF) → its source group and network; unknown sources keep group 0",
        TableMiss.GotoNext);

    public static readonly TableDescriptor DestinationLookup = new(30, "DestinationLookup",
        "destination IP → destination group, network and locality, per network (bridge mode) or per VRF (routing mode); unknown destinations on a VLAN network are external (uplink)",
        TableMiss.Drop);

    public static readonly TableDescriptor ConntrackEnter = new(40, "ConntrackEnter",
        "IP enters conntrack in the zone of its VRF, continuing in ConntrackState",
        TableMiss.Drop);

    public static readonly TableDescriptor ConntrackState = new(41, "ConntrackState",
        "established/related pass straight to forwarding; invalid is dropped; new connections meet the policy",
        TableMiss.Drop);

    public static readonly TableDescriptor EgressPolicy = new(50, "EgressPolicy",
        "out rules of the policies attached to the (local) source's group: the highest-priority match decides, deny wins ties; deny drops, allow or no match continues",
        TableMiss.GotoNext);

    public static readonly TableDescriptor IngressPolicy = new(60, "IngressPolicy",
        "in rules of the policies attached to the (local) destination's group: the highest-priority match decides, deny wins ties; deny drops, allow or no match continues",
        TableMiss.GotoNext);

    public static readonly TableDescriptor Commit = new(70, "Commit",
        "a new connection that passed both sides is committed to conntrack in its VRF's zone",
        TableMiss.Drop);

    public static readonly TableDescriptor Forwarding = new(80, "Forwarding",
        "to a local port (routing mode rewrites eth to the gateway's and the endpoint's MAC); to a remote VXLAN endpoint with tun_id=VNI, tun_dst=VTEP via the tunnel port; VLAN: push the tag and out the uplink; nothing received from a tunnel or the uplink leaves through one",
        TableMiss.Drop);

    public static readonly ImmutableArray<TableDescriptor> All =
    [
        Classification, SpoofGuard, Arp, SourceLookup, DestinationLookup, ConntrackEnter, ConntrackState,
        EgressPolicy, IngressPolicy, Commit, Forwarding,
    ];

    public static bool IsDeclared(byte tableId) => All.Any(t => t.Id == tableId);

    public static TableDescriptor Get(byte tableId) =>
        All.FirstOrDefault(t => t.Id == tableId) ?? throw new ArgumentOutOfRangeException(nameof(tableId), $"table {tableId} is not declared");

    /// <summary>The declared table after <paramref name="table"/> (what GotoNext continues in).</summary>
    public static TableDescriptor Next(TableDescriptor table)
    {
        var index = All.IndexOf(table);
        if (index < 0 || index + 1 >= All.Length) throw new InvalidOperationException($"table {table.Name} has no next table");
        return All[index + 1];
    }

    /// <summary>The miss flow of a table, from its declaration.</summary>
    public static Flow MissFlow(TableDescriptor table, byte round) => new(
        table.Id,
        MissPriority,
        Match.Any,
        table.Miss == TableMiss.Drop ? Instructions.Drop : Instructions.Goto(Next(table).Id),
        new FlowCookie(round, OwnerKind.Pipeline, table.Id).Value);
}
