using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>One OXM/NXM header: class, field number and the payload width of an unmasked value.</summary>
public readonly record struct OxmHeader(ushort Class, byte FieldNumber, int Width)
{
    public const ushort NxmClass0 = 0x0000;
    public const ushort NxmClass1 = 0x0001;
    public const ushort BasicClass = 0x8000;

    public uint Encode(bool masked) =>
        ((uint)Class << 16) | ((uint)FieldNumber << 9) | (masked ? 0x100u : 0u) | (uint)(masked ? Width * 2 : Width);
}

/// <summary>
/// Maps our <see cref="Field"/>s to OXM (class 0x8000) or Nicira NXM (class 0x0001) headers and
/// encodes/decodes matches (OFPMT_OXM) and single TLVs.
/// </summary>
public static class Oxm
{
    private static readonly Dictionary<Field, OxmHeader> Headers = new()
    {
        [Field.InPort] = new(OxmHeader.BasicClass, 0, 4),
        [Field.Metadata] = new(OxmHeader.BasicClass, 2, 8),
        [Field.EthDst] = new(OxmHeader.BasicClass, 3, 6),
        [Field.EthSrc] = new(OxmHeader.BasicClass, 4, 6),
        [Field.EthType] = new(OxmHeader.BasicClass, 5, 2),
        [Field.VlanVid] = new(OxmHeader.BasicClass, 6, 2),
        [Field.IpProto] = new(OxmHeader.BasicClass, 10, 1),
        [Field.Ipv4Src] = new(OxmHeader.BasicClass, 11, 4),
        [Field.Ipv4Dst] = new(OxmHeader.BasicClass, 12, 4),
        [Field.TcpSrc] = new(OxmHeader.BasicClass, 13, 2),
        [Field.TcpDst] = new(OxmHeader.BasicClass, 14, 2),
        [Field.UdpSrc] = new(OxmHeader.BasicClass, 15, 2),
        [Field.UdpDst] = new(OxmHeader.BasicClass, 16, 2),
        [Field.IcmpType] = new(OxmHeader.BasicClass, 19, 1),
        [Field.IcmpCode] = new(OxmHeader.BasicClass, 20, 1),
        [Field.ArpOp] = new(OxmHeader.BasicClass, 21, 2),
        [Field.ArpSpa] = new(OxmHeader.BasicClass, 22, 4),
        [Field.ArpTpa] = new(OxmHeader.BasicClass, 23, 4),
        [Field.ArpSha] = new(OxmHeader.BasicClass, 24, 6),
        [Field.ArpTha] = new(OxmHeader.BasicClass, 25, 6),
        [Field.TunnelId] = new(OxmHeader.BasicClass, 38, 8),
        [Field.Reg0] = new(OxmHeader.NxmClass1, 0, 4),
        [Field.Reg1] = new(OxmHeader.NxmClass1, 1, 4),
        [Field.Reg2] = new(OxmHeader.NxmClass1, 2, 4),
        [Field.Reg3] = new(OxmHeader.NxmClass1, 3, 4),
        [Field.Reg4] = new(OxmHeader.NxmClass1, 4, 4),
        [Field.Reg5] = new(OxmHeader.NxmClass1, 5, 4),
        [Field.Reg6] = new(OxmHeader.NxmClass1, 6, 4),
        [Field.Reg7] = new(OxmHeader.NxmClass1, 7, 4),
        [Field.TunIpv4Src] = new(OxmHeader.NxmClass1, 31, 4),
        [Field.TunIpv4Dst] = new(OxmHeader.NxmClass1, 32, 4),
        [Field.CtState] = new(OxmHeader.NxmClass1, 105, 4),
        [Field.CtZone] = new(OxmHeader.NxmClass1, 106, 2),
        [Field.CtMark] = new(OxmHeader.NxmClass1, 107, 4),
    };

    private static readonly Dictionary<(ushort Class, byte Field), Field> ByHeader = BuildReverse();

    private static Dictionary<(ushort, byte), Field> BuildReverse()
    {
        var map = Headers.ToDictionary(kv => (kv.Value.Class, kv.Value.FieldNumber), kv => kv.Key);
        // Legacy NXM headers OVS may use for the same fields (e.g. in reg_move): same widths as ours.
        map[(OxmHeader.NxmClass0, 1)] = Field.EthDst;
        map[(OxmHeader.NxmClass0, 2)] = Field.EthSrc;
        map[(OxmHeader.NxmClass0, 3)] = Field.EthType;
        map[(OxmHeader.NxmClass0, 6)] = Field.IpProto;
        map[(OxmHeader.NxmClass0, 7)] = Field.Ipv4Src;
        map[(OxmHeader.NxmClass0, 8)] = Field.Ipv4Dst;
        map[(OxmHeader.NxmClass0, 9)] = Field.TcpSrc;
        map[(OxmHeader.NxmClass0, 10)] = Field.TcpDst;
        map[(OxmHeader.NxmClass0, 11)] = Field.UdpSrc;
        map[(OxmHeader.NxmClass0, 12)] = Field.UdpDst;
        map[(OxmHeader.NxmClass0, 13)] = Field.IcmpType;
        map[(OxmHeader.NxmClass0, 14)] = Field.IcmpCode;
        map[(OxmHeader.NxmClass0, 15)] = Field.ArpOp;
        map[(OxmHeader.NxmClass0, 16)] = Field.ArpSpa;
        map[(OxmHeader.NxmClass0, 17)] = Field.ArpTpa;
        map[(OxmHeader.NxmClass1, 16)] = Field.TunnelId;
        map[(OxmHeader.NxmClass1, 17)] = Field.ArpSha;
        map[(OxmHeader.NxmClass1, 18)] = Field.ArpTha;
        return map;
    }

    /// <summary>
    /// The order TLVs are emitted in: pipeline/metadata fields first, then L2, then L3, then L4, so that
    /// every prerequisite (eth_type before nw_*/arp_*, ip_proto before tp_*) precedes its dependants,
    /// which OVS checks as it parses.
    /// </summary>
    private static readonly Field[] CanonicalOrder =
    [
        Field.InPort, Field.Metadata, Field.TunnelId, Field.TunIpv4Src, Field.TunIpv4Dst,
        Field.Reg0, Field.Reg1, Field.Reg2, Field.Reg3, Field.Reg4, Field.Reg5, Field.Reg6, Field.Reg7,
        Field.CtState, Field.CtZone, Field.CtMark,
        Field.EthSrc, Field.EthDst, Field.EthType, Field.VlanVid,
        Field.IpProto, Field.Ipv4Src, Field.Ipv4Dst,
        Field.ArpOp, Field.ArpSpa, Field.ArpTpa, Field.ArpSha, Field.ArpTha,
        Field.TcpSrc, Field.TcpDst, Field.UdpSrc, Field.UdpDst, Field.IcmpType, Field.IcmpCode,
    ];

    private static readonly Dictionary<Field, int> Rank = CanonicalOrder.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);

    public static OxmHeader HeaderOf(Field field) => Headers[field];

    public static IEnumerable<FieldMatch> InCanonicalOrder(Match match) => match.Fields.OrderBy(f => Rank[f.Field]);

    /// <summary>Writes one TLV: header, value, and the mask when the match is masked.</summary>
    public static void WriteTlv(OfpWriter w, Field field, ulong value, ulong? mask)
    {
        var header = Headers[field];
        var masked = mask is { } m && m != field.FullMask();
        w.U32(header.Encode(masked));
        w.UInt(value, header.Width);
        if (masked) w.UInt(mask!.Value, header.Width);
    }

    /// <summary>Writes an ofp_match of type OFPMT_OXM, padded to 8 bytes.</summary>
    public static void WriteMatch(OfpWriter w, Match match)
    {
        var start = w.Position;
        w.U16(1); // OFPMT_OXM
        w.U16(0);
        foreach (var f in InCanonicalOrder(match)) WriteTlv(w, f.Field, f.Value, f.Mask);
        w.PatchLength(start + 2, start); // length excludes the padding
        w.PadTo8(start);
    }

    public static Match ReadMatch(ref OfpReader r)
    {
        var type = r.U16();
        var length = r.U16();
        if (type != 1) throw new OpenFlowDecodeException($"match type {type} is not OFPMT_OXM");
        if (length < 4) throw new OpenFlowDecodeException($"match length {length} is below 4");
        var body = r.Sub(length - 4, "match");
        var padding = (length + 7) / 8 * 8 - length;
        r.Skip(padding);
        var match = Match.Any;
        while (!body.AtEnd)
        {
            var (field, value, mask) = ReadTlv(ref body);
            match = match.With(field, value, mask);
        }
        return match;
    }

    /// <summary>Reads one TLV; unknown classes or fields are decode errors.</summary>
    public static (Field Field, ulong Value, ulong? Mask) ReadTlv(ref OfpReader r)
    {
        var header = r.U32();
        var (field, width, masked) = Resolve(header);
        var value = r.UInt(width);
        ulong? mask = masked ? r.UInt(width) : null;
        return (field, value, mask);
    }

    /// <summary>The field a header names, its value width and whether it carries a mask.</summary>
    public static (Field Field, int Width, bool Masked) Resolve(uint header)
    {
        var cls = (ushort)(header >> 16);
        var number = (byte)((header >> 9) & 0x7f);
        var masked = (header & 0x100) != 0;
        var length = (int)(header & 0xff);
        if (!ByHeader.TryGetValue((cls, number), out var field))
            throw new OpenFlowDecodeException($"unknown OXM/NXM field class 0x{cls:x4} field {number}");
        var width = masked ? length / 2 : length;
        if (width != Headers[field].Width || (masked && length % 2 != 0))
            throw new OpenFlowDecodeException($"OXM field {field} has length {length}, expected {Headers[field].Width}{(masked ? " x2" : "")}");
        return (field, width, masked);
    }

    internal static ImmutableArray<Field> AllFields => [.. CanonicalOrder];
}
