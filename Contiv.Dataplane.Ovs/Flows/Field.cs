namespace Contiv.Dataplane.Ovs.Flows;

/// <summary>
/// The packet and pipeline fields the pipeline matches on or writes. Each maps to one OXM
/// (OpenFlow basic) or NXM (Nicira extension) header in the codec; values are at most 64 bits.
/// </summary>
public enum Field
{
    InPort,
    Metadata,
    EthDst,
    EthSrc,
    EthType,
    VlanVid,
    IpProto,
    Ipv4Src,
    Ipv4Dst,
    TcpSrc,
    TcpDst,
    UdpSrc,
    UdpDst,
    IcmpType,
    IcmpCode,
    ArpOp,
    ArpSpa,
    ArpTpa,
    ArpSha,
    ArpTha,
    TunnelId,
    TunIpv4Src,
    TunIpv4Dst,
    Reg0,
    Reg1,
    Reg2,
    Reg3,
    Reg4,
    Reg5,
    Reg6,
    Reg7,
    CtState,
    CtZone,
    CtMark,
}

public static class FieldInfo
{
    /// <summary>Width of the field in bits (what a full mask covers).</summary>
    public static int Bits(this Field field) => field switch
    {
        Field.InPort => 32,
        Field.Metadata or Field.TunnelId => 64,
        Field.EthDst or Field.EthSrc or Field.ArpSha or Field.ArpTha => 48,
        Field.EthType or Field.TcpSrc or Field.TcpDst or Field.UdpSrc or Field.UdpDst or Field.ArpOp or Field.CtZone => 16,
        Field.VlanVid => 13, // 12-bit VID plus OFPVID_PRESENT
        Field.IpProto or Field.IcmpType or Field.IcmpCode => 8,
        Field.CtState or Field.CtMark => 32,
        _ => 32, // IPv4 addresses, tunnel endpoints, registers
    };

    public static ulong FullMask(this Field field) => field.Bits() == 64 ? ulong.MaxValue : (1UL << field.Bits()) - 1;

    public static Field Register(int index) => index is >= 0 and <= 7
        ? Field.Reg0 + index
        : throw new ArgumentOutOfRangeException(nameof(index), "registers reg0..reg7 are used");
}

/// <summary>conntrack state bits (NXM_NX_CT_STATE), as ovs-ofctl names them.</summary>
[Flags]
public enum CtStateBits : uint
{
    New = 0x01,
    Established = 0x02,
    Related = 0x04,
    ReplyDirection = 0x08,
    Invalid = 0x10,
    Tracked = 0x20,
    SourceNat = 0x40,
    DestinationNat = 0x80,
}
