using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>
/// Nicira extension actions (experimenter 0x00002320) that OVS implements: reg_move, ct() and nat
/// (nested in ct). Layouts per OVS's nx_action_reg_move, nx_action_conntrack and nx_action_nat.
/// </summary>
public static class NxActions
{
    private const ushort CtFlagCommit = 1;
    private const ushort NatFlagSource = 1;
    private const ushort NatFlagDestination = 2;
    private const ushort RangeIpv4Min = 1;
    private const ushort RangeIpv4Max = 2;
    private const ushort RangeProtoMin = 16;
    private const ushort RangeProtoMax = 32;
    private const byte NoRecirculation = 0xff;

    private static int BeginHeader(OfpWriter w, ushort subtype)
    {
        var start = w.Position;
        w.U16(ActionType.Experimenter);
        w.U16(0);
        w.U32(Ofp.NiciraExperimenter);
        w.U16(subtype);
        return start;
    }

    private static void End(OfpWriter w, int start)
    {
        w.PadTo8(start);
        w.PatchLength(start + 2, start);
    }

    public static void Write(OfpWriter w, FlowAction action)
    {
        switch (action)
        {
            case Move move: WriteMove(w, move); break;
            case Ct ct: WriteCt(w, ct); break;
            default: throw new OpenFlowEncodeException($"{action.GetType().Name} is not a Nicira action");
        }
    }

    private static void WriteMove(OfpWriter w, Move move)
    {
        if (move.Width <= 0 || move.SourceOffset + move.Width > move.Source.Bits() || move.DestinationOffset + move.Width > move.Destination.Bits())
            throw new OpenFlowEncodeException($"move of {move.Width} bits does not fit {move.Source}[{move.SourceOffset}..] -> {move.Destination}[{move.DestinationOffset}..]");
        var start = BeginHeader(w, NiciraSubtype.RegMove);
        w.U16((ushort)move.Width);
        w.U16((ushort)move.SourceOffset);
        w.U16((ushort)move.DestinationOffset);
        w.U32(Oxm.HeaderOf(move.Source).Encode(false));
        w.U32(Oxm.HeaderOf(move.Destination).Encode(false));
        End(w, start);
    }

    private static void WriteCt(OfpWriter w, Ct ct)
    {
        var start = BeginHeader(w, NiciraSubtype.Conntrack);
        w.U16(ct.Commit ? CtFlagCommit : (ushort)0);
        w.U32(0); // zone_src 0: the zone is immediate
        w.U16(ct.Zone);
        w.U8(ct.RecirculateTable ?? NoRecirculation);
        w.Zeros(3);
        w.U16(0); // alg
        if (ct.Nat is { } nat) WriteNat(w, nat, ct.Commit); // nat first: OVS formats it as ct(...,nat(...),exec(...))
        ActionCodec.WriteActions(w, ct.Actions);
        End(w, start);
    }

    private static void WriteNat(OfpWriter w, CtNat nat, bool commit)
    {
        var start = BeginHeader(w, NiciraSubtype.Nat);
        w.Zeros(2);
        ushort present = 0;
        if (nat.AddressMin is not null) present |= RangeIpv4Min;
        if (nat.AddressMax is not null) present |= RangeIpv4Max;
        if (nat.PortMin is not null) present |= RangeProtoMin;
        if (nat.PortMax is not null) present |= RangeProtoMax;
        // Outside a commit, nat only re-applies the connection's recorded translation: OVS wants it
        // without arguments (no direction flag); we write a destination nat without ranges that way.
        var plain = !commit && present == 0 && !nat.Source;
        w.U16(plain ? (ushort)0 : nat.Source ? NatFlagSource : NatFlagDestination);
        w.U16(present);
        if (nat.AddressMin is { } amin) w.U32(amin);
        if (nat.AddressMax is { } amax) w.U32(amax);
        if (nat.PortMin is { } pmin) w.U16(pmin);
        if (nat.PortMax is { } pmax) w.U16(pmax);
        End(w, start);
    }

    /// <summary>Reads an experimenter action whose type and length the caller has consumed.</summary>
    public static FlowAction Read(ref OfpReader a, int length)
    {
        var vendor = a.U32();
        if (vendor != Ofp.NiciraExperimenter) throw new OpenFlowDecodeException($"unsupported experimenter action vendor 0x{vendor:x8}");
        var subtype = a.U16();
        switch (subtype)
        {
            case NiciraSubtype.RegMove:
            {
                int bits = a.U16(), srcOfs = a.U16(), dstOfs = a.U16();
                var (src, _, _) = Oxm.Resolve(a.U32());
                var (dst, _, _) = Oxm.Resolve(a.U32());
                return new Move(src, dst, bits == src.Bits() && srcOfs == 0 ? 0 : bits, srcOfs, dstOfs);
            }
            case NiciraSubtype.Conntrack:
            {
                var flags = a.U16();
                var zoneSource = a.U32();
                var zone = a.U16();
                var table = a.U8();
                a.Skip(3);
                var alg = a.U16();
                if (zoneSource != 0) throw new OpenFlowDecodeException("ct() with a zone taken from a field is not supported");
                if (alg != 0) throw new OpenFlowDecodeException($"ct() with alg {alg} is not supported");
                CtNat? nat = null;
                if (a.Remaining >= 10 && a.PeekU16At(0) == ActionType.Experimenter && a.PeekU16At(8) == NiciraSubtype.Nat)
                {
                    var natLength = a.PeekU16At(2);
                    if (natLength < 16 || natLength % 8 != 0) throw new OpenFlowDecodeException($"nat action has length {natLength}");
                    var n = a.Sub(natLength, "nat action");
                    nat = ReadNat(ref n);
                }
                var nested = ActionCodec.ReadActions(ref a);
                return new Ct((flags & CtFlagCommit) != 0, zone, table == NoRecirculation ? null : table, nat) { Actions = nested };
            }
            default:
                throw new OpenFlowDecodeException($"unsupported Nicira action subtype {subtype}");
        }
    }

    private static CtNat ReadNat(ref OfpReader n)
    {
        n.Skip(10); // type, len, vendor, subtype
        n.Skip(2);
        var flags = n.U16();
        var present = n.U16();
        uint? amin = (present & RangeIpv4Min) != 0 ? n.U32() : null;
        uint? amax = (present & RangeIpv4Max) != 0 ? n.U32() : null;
        if ((present & 12) != 0) throw new OpenFlowDecodeException("nat with IPv6 ranges is not supported");
        ushort? pmin = (present & RangeProtoMin) != 0 ? n.U16() : null;
        ushort? pmax = (present & RangeProtoMax) != 0 ? n.U16() : null;
        return new CtNat((flags & NatFlagSource) != 0, amin, amax, pmin, pmax);
    }
}
