using Contiv.Collections;

namespace Contiv.Dataplane.Ovs.Flows;

/// <summary>An action of an apply-actions instruction or a group bucket.</summary>
public abstract record FlowAction;

/// <summary>Output to a port; see <see cref="Ports"/> for the reserved ones.</summary>
public sealed record Output(uint Port) : FlowAction;

public sealed record ToGroup(uint GroupId) : FlowAction;

public sealed record PushVlan(ushort EtherType = 0x8100) : FlowAction;

public sealed record PopVlan : FlowAction;

/// <summary>Writes a field (OXM set_field; NXM headers for registers, tunnel and conntrack fields).</summary>
public sealed record SetField(Field Field, ulong Value) : FlowAction;

/// <summary>Copies bits between fields (Nicira reg_move), e.g. ARP replies built in the switch.</summary>
public sealed record Move(Field Source, Field Destination, int Bits = 0, int SourceOffset = 0, int DestinationOffset = 0) : FlowAction
{
    /// <summary>The number of bits copied: the whole source field unless given.</summary>
    public int Width => Bits == 0 ? Source.Bits() : Bits;
}

/// <summary>Source or destination NAT inside <see cref="Ct"/>.</summary>
public sealed record CtNat(bool Source, uint? AddressMin = null, uint? AddressMax = null, ushort? PortMin = null, ushort? PortMax = null);

/// <summary>
/// The Nicira ct() action: send the packet through conntrack in a zone, optionally commit the
/// connection (with actions such as set_field of ct_mark) and continue in <paramref name="RecirculateTable"/>.
/// </summary>
public sealed record Ct(bool Commit, ushort Zone, byte? RecirculateTable = null, CtNat? Nat = null) : FlowAction
{
    public ValueArray<FlowAction> Actions { get; init; } = [];
}

/// <summary>Reserved OpenFlow port numbers.</summary>
public static class Ports
{
    public const uint InPort = 0xfffffff8;
    public const uint Normal = 0xfffffffa;
    public const uint Flood = 0xfffffffb;
    public const uint All = 0xfffffffc;
    public const uint Controller = 0xfffffffd;
    public const uint Local = 0xfffffffe;
    public const uint Any = 0xffffffff;
}
