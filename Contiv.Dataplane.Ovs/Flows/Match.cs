using System.Collections.Immutable;

namespace Contiv.Dataplane.Ovs.Flows;

/// <summary>One field of a match: a value, and a mask when only some bits matter.</summary>
public readonly record struct FieldMatch(Field Field, ulong Value, ulong? Mask = null)
{
    public bool IsMasked => Mask is { } mask && mask != Field.FullMask();
}

/// <summary>
/// A flow's match, kept in canonical (field) order so that equal matches compare equal — the
/// identity of a flow in a table is (priority, match). Immutable; each With returns a new match.
/// </summary>
public sealed class Match : IEquatable<Match>
{
    public static readonly Match Any = new(ImmutableArray<FieldMatch>.Empty);

    public ImmutableArray<FieldMatch> Fields { get; }

    private Match(ImmutableArray<FieldMatch> fields) => Fields = fields;

    public Match With(Field field, ulong value, ulong? mask = null)
    {
        var others = Fields.Where(f => f.Field != field);
        var entry = new FieldMatch(field, mask is { } m ? value & m : value, mask is { } full && full == field.FullMask() ? null : mask);
        return new Match([.. others.Append(entry).OrderBy(f => f.Field)]);
    }

    public FieldMatch? Get(Field field)
    {
        foreach (var f in Fields)
        {
            if (f.Field == field) return f;
        }
        return null;
    }

    // ---- the builders the pipeline uses --------------------------------------------------------

    public Match InPort(uint port) => With(Field.InPort, port);
    public Match EthType(ushort type) => With(Field.EthType, type);
    public Match EthSrc(ulong mac) => With(Field.EthSrc, mac);
    public Match EthDst(ulong mac) => With(Field.EthDst, mac);
    public Match Ip() => EthType(0x0800);
    public Match Arp() => EthType(0x0806);
    public Match IpProto(byte protocol) => Ip().With(Field.IpProto, protocol);
    public Match Tcp() => IpProto(6);
    public Match Udp() => IpProto(17);
    public Match Icmp() => IpProto(1);
    public Match Ipv4Src(uint address, int prefixLength = 32) => Ip().With(Field.Ipv4Src, address, PrefixMask(prefixLength));
    public Match Ipv4Dst(uint address, int prefixLength = 32) => Ip().With(Field.Ipv4Dst, address, PrefixMask(prefixLength));
    public Match ArpTpa(uint address) => Arp().With(Field.ArpTpa, address);
    public Match ArpSpa(uint address) => Arp().With(Field.ArpSpa, address);
    public Match ArpOp(ushort op) => Arp().With(Field.ArpOp, op);
    public Match Vlan(ushort vid) => With(Field.VlanVid, 0x1000u | vid);
    public Match TunnelId(ulong id) => With(Field.TunnelId, id);
    public Match Metadata(ulong value, ulong mask) => With(Field.Metadata, value, mask);
    public Match Reg(int index, uint value, uint? mask = null) => With(FieldInfo.Register(index), value, mask);
    public Match CtState(CtStateBits set, CtStateBits mask) => With(Field.CtState, (ulong)set, (ulong)mask);
    public Match CtZone(ushort zone) => With(Field.CtZone, zone);
    public Match CtMark(uint value, uint? mask = null) => With(Field.CtMark, value, mask);

    public Match TcpDst(ushort port) => Tcp().With(Field.TcpDst, port);
    public Match UdpDst(ushort port) => Udp().With(Field.UdpDst, port);

    public static ulong? PrefixMask(int prefixLength) => prefixLength switch
    {
        32 => null,
        >= 0 and < 32 => prefixLength == 0 ? 0UL : (0xFFFFFFFFUL << (32 - prefixLength)) & 0xFFFFFFFFUL,
        _ => throw new ArgumentOutOfRangeException(nameof(prefixLength)),
    };

    public bool Equals(Match? other) => other is not null && Fields.SequenceEqual(other.Fields);
    public override bool Equals(object? obj) => Equals(obj as Match);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var f in Fields) hash.Add(f);
        return hash.ToHashCode();
    }

    public override string ToString() => Fields.IsEmpty ? "any" : string.Join(",", Fields.Select(f =>
        f.Mask is { } mask ? $"{f.Field}=0x{f.Value:x}/0x{mask:x}" : $"{f.Field}=0x{f.Value:x}"));
}

