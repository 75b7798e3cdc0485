using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>Encodes our messages into OpenFlow 1.3 bytes and decodes the switch's bytes back.</summary>
public static class OpenFlowCodec
{
    private const ushort HelloElementVersionBitmap = 1;
    private const ushort MultipartMore = 1;
    private const int PortDescLength = 64;
    private const int PortNameLength = 16;

    // ---- encoding ---------------------------------------------------------------------------

    public static byte[] Encode(OfpMessage message, uint xid)
    {
        var w = new OfpWriter();
        Write(w, message, xid);
        return w.ToArray();
    }

    private static void Write(OfpWriter w, OfpMessage message, uint xid)
    {
        var start = w.Position;
        w.U8(message is Hello hello ? hello.Version : Ofp.Version13);
        w.U8((byte)TypeOf(message));
        w.U16(0);
        w.U32(xid);
        WriteBody(w, message, xid);
        w.PatchLength(start + 2, start);
    }

    private static MessageType TypeOf(OfpMessage message) => message switch
    {
        Hello => MessageType.Hello,
        ErrorMessage => MessageType.Error,
        EchoRequest => MessageType.EchoRequest,
        EchoReply => MessageType.EchoReply,
        FeaturesRequest => MessageType.FeaturesRequest,
        FeaturesReply => MessageType.FeaturesReply,
        FlowMod => MessageType.FlowMod,
        GroupMod => MessageType.GroupMod,
        FlowStatsRequest or PortDescRequest or GroupDescRequest => MessageType.MultipartRequest,
        FlowStatsReply or PortDescReply or GroupDescReply => MessageType.MultipartReply,
        BarrierRequest => MessageType.BarrierRequest,
        BarrierReply => MessageType.BarrierReply,
        BundleControl or BundleAdd => MessageType.Experimenter,
        _ => throw new OpenFlowEncodeException($"{message.GetType().Name} cannot be encoded"),
    };

    private static void WriteBody(OfpWriter w, OfpMessage message, uint xid)
    {
        switch (message)
        {
            case Hello hello:
                if (hello.VersionBitmap is { } bitmap)
                {
                    w.U16(HelloElementVersionBitmap);
                    w.U16(8);
                    w.U32(bitmap);
                }
                break;
            case ErrorMessage error:
                w.U16(error.Type);
                if (error.Type == ErrorMessage.ExperimenterType)
                {
                    w.U16(error.Code);
                    w.U32(error.Experimenter ?? 0);
                }
                else w.U16(error.Code);
                w.Bytes(error.Data.AsSpan());
                break;
            case EchoRequest echo: w.Bytes(echo.Data.AsSpan()); break;
            case EchoReply echo: w.Bytes(echo.Data.AsSpan()); break;
            case FeaturesRequest or BarrierRequest or BarrierReply: break;
            case FeaturesReply features:
                w.U64(features.DatapathId);
                w.U32(features.Buffers);
                w.U8(features.Tables);
                w.U8(features.AuxiliaryId);
                w.Zeros(2);
                w.U32(features.Capabilities);
                w.U32(0);
                break;
            case FlowMod mod: WriteFlowMod(w, mod); break;
            case GroupMod mod: WriteGroupMod(w, mod); break;
            case FlowStatsRequest request:
                WriteMultipartHeader(w, MultipartType.Flow, false);
                w.U8(request.Table);
                w.Zeros(3);
                w.U32(Ports.Any);
                w.U32(Ofp.AnyGroup);
                w.Zeros(4);
                w.U64(request.Cookie);
                w.U64(request.CookieMask);
                Oxm.WriteMatch(w, request.Match);
                break;
            case PortDescRequest:
                WriteMultipartHeader(w, MultipartType.PortDesc, false);
                break;
            case GroupDescRequest:
                WriteMultipartHeader(w, MultipartType.GroupDesc, false);
                break;
            case FlowStatsReply reply:
                WriteMultipartHeader(w, MultipartType.Flow, reply.More);
                foreach (var stats in reply.Flows) WriteFlowStats(w, stats);
                break;
            case PortDescReply reply:
                WriteMultipartHeader(w, MultipartType.PortDesc, reply.More);
                foreach (var port in reply.Ports) WritePort(w, port);
                break;
            case GroupDescReply reply:
                WriteMultipartHeader(w, MultipartType.GroupDesc, reply.More);
                foreach (var group in reply.Groups) GroupCodec.WriteDesc(w, group);
                break;
            case BundleControl control:
                w.U32(Ofp.OnfExperimenter);
                w.U32(Ofp.OnfBundleControl);
                w.U32(control.BundleId);
                w.U16((ushort)control.Type);
                w.U16((ushort)control.Flags);
                break;
            case BundleAdd add:
                if (add.Inner is BundleControl or BundleAdd or Hello)
                    throw new OpenFlowEncodeException($"{add.Inner.GetType().Name} cannot be added to a bundle");
                w.U32(Ofp.OnfExperimenter);
                w.U32(Ofp.OnfBundleAddMessage);
                w.U32(add.BundleId);
                w.Zeros(2);
                w.U16((ushort)add.Flags);
                Write(w, add.Inner, xid); // OVS rejects an inner xid that differs from the outer one
                break;
            default:
                throw new OpenFlowEncodeException($"{message.GetType().Name} cannot be encoded");
        }
    }

    private static void WriteMultipartHeader(OfpWriter w, MultipartType type, bool more)
    {
        w.U16((ushort)type);
        w.U16(more ? MultipartMore : (ushort)0);
        w.Zeros(4);
    }

    private static void WriteFlowMod(OfpWriter w, FlowMod mod)
    {
        var flow = mod.Flow;
        w.U64(flow.Cookie);
        w.U64(mod.CookieMask);
        w.U8(flow.Table);
        w.U8((byte)mod.Command);
        w.U16(0); // idle timeout
        w.U16(0); // hard timeout
        w.U16(flow.Priority);
        w.U32(Ofp.NoBuffer);
        w.U32(mod.OutPort);
        w.U32(mod.OutGroup);
        w.U16((ushort)mod.Flags);
        w.Zeros(2);
        Oxm.WriteMatch(w, flow.Match);
        InstructionCodec.Write(w, flow.Instructions);
    }

    private static void WriteGroupMod(OfpWriter w, GroupMod mod)
    {
        w.U16((ushort)mod.Command);
        w.U8((byte)mod.Group.Type);
        w.U8(0);
        w.U32(mod.Group.Id);
        if (mod.Command == GroupModCommand.Delete) return;
        GroupCodec.WriteBuckets(w, mod.Group.Buckets);
    }

    private static void WriteFlowStats(OfpWriter w, FlowStats stats)
    {
        var start = w.Position;
        w.U16(0);
        w.U8(stats.Flow.Table);
        w.U8(0);
        w.U32(stats.DurationSeconds);
        w.U32(0);
        w.U16(stats.Flow.Priority);
        w.U16(0);
        w.U16(0);
        w.U16((ushort)stats.Flags);
        w.Zeros(4);
        w.U64(stats.Flow.Cookie);
        w.U64(stats.Packets);
        w.U64(stats.Bytes);
        Oxm.WriteMatch(w, stats.Flow.Match);
        InstructionCodec.Write(w, stats.Flow.Instructions);
        w.PatchLength(start, start);
    }

    private static void WritePort(OfpWriter w, PortDesc port)
    {
        w.U32(port.PortNo);
        w.Zeros(4);
        w.UInt(port.HwAddr, 6);
        w.Zeros(2);
        var name = new byte[PortNameLength];
        Encoding.ASCII.GetBytes(port.Name.AsSpan(0, Math.Min(port.Name.Length, PortNameLength - 1)), name);
        w.Bytes(name);
        w.U32(port.Config);
        w.U32(port.State);
        w.U32(port.CurrentFeatures);
        w.Zeros(4 * 3);
        w.Zeros(8); // curr_speed, max_speed
    }

    // ---- decoding ---------------------------------------------------------------------------

    /// <summary>
    /// Checks a header and returns the whole message length it announces; a length below 8 or a
    /// version other than 1.3 (except in HELLO and ERROR) or a type beyond OpenFlow 1.3's is a decode error.
    /// </summary>
    public static int FrameLength(ReadOnlySpan<byte> header)
    {
        if (header.Length < Ofp.HeaderLength) throw new OpenFlowDecodeException($"header truncated: {header.Length} of {Ofp.HeaderLength} bytes");
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (length < Ofp.HeaderLength) throw new OpenFlowDecodeException($"message length {length} is below the {Ofp.HeaderLength}-byte header");
        // Checked before the body is read, so that garbage is refused at once instead of waiting for
        // the body a nonsense length announces.
        var version = header[0];
        var type = header[1];
        var xid = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (type > Ofp.LastMessageType) throw new OpenFlowDecodeException($"unknown message type {type} (xid 0x{xid:x})");
        if (version != Ofp.Version13 && type != (byte)MessageType.Hello && type != (byte)MessageType.Error)
            throw new OpenFlowDecodeException($"message type {type} has version 0x{version:x2}; only OpenFlow 1.3 (0x04) is spoken");
        return length;
    }

    public static OfpEnvelope Decode(ReadOnlySpan<byte> bytes)
    {
        var length = FrameLength(bytes);
        if (length != bytes.Length)
            throw new OpenFlowDecodeException($"header says {length} bytes but {bytes.Length} were given");
        var version = bytes[0];
        var type = bytes[1];
        var xid = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        var r = new OfpReader(bytes[Ofp.HeaderLength..], $"message type {type}");
        var message = ReadBody(ref r, (MessageType)type, version, length);
        return new OfpEnvelope(xid, message);
    }

    private static OfpMessage ReadBody(ref OfpReader r, MessageType type, byte version, int length)
    {
        switch (type)
        {
            case MessageType.Hello:
                return ReadHello(ref r, version);
            case MessageType.Error:
            {
                var errorType = r.U16();
                var code = r.U16();
                uint? experimenter = errorType == ErrorMessage.ExperimenterType ? r.U32() : null;
                return new ErrorMessage(errorType, code, [.. r.Bytes(r.Remaining)], experimenter);
            }
            case MessageType.EchoRequest: return new EchoRequest([.. r.Bytes(r.Remaining)]);
            case MessageType.EchoReply: return new EchoReply([.. r.Bytes(r.Remaining)]);
            case MessageType.FeaturesRequest: return new FeaturesRequest();
            case MessageType.BarrierRequest: return new BarrierRequest();
            case MessageType.BarrierReply: return new BarrierReply();
            case MessageType.FeaturesReply:
            {
                var dpid = r.U64();
                var buffers = r.U32();
                var tables = r.U8();
                var aux = r.U8();
                r.Skip(2);
                var capabilities = r.U32();
                r.Skip(4);
                return new FeaturesReply(dpid, buffers, tables, aux, capabilities);
            }
            case MessageType.FlowMod: return ReadFlowMod(ref r);
            case MessageType.GroupMod: return ReadGroupMod(ref r);
            case MessageType.MultipartRequest: return ReadMultipartRequest(ref r);
            case MessageType.MultipartReply: return ReadMultipartReply(ref r);
            case MessageType.Experimenter: return ReadExperimenter(ref r);
            default: return new UnhandledMessage(type, length);
        }
    }

    private static Hello ReadHello(ref OfpReader r, byte version)
    {
        uint? bitmap = null;
        while (r.Remaining >= 4)
        {
            var elementType = r.U16();
            var elementLength = r.U16();
            if (elementLength < 4) throw new OpenFlowDecodeException($"hello element length {elementLength} is below 4");
            var e = r.Sub(elementLength - 4, "hello element");
            if (elementType == HelloElementVersionBitmap && e.Remaining >= 4) bitmap = e.U32(); // versions 0..31
            r.Skip(Math.Min(r.Remaining, (elementLength + 7) / 8 * 8 - elementLength));
        }
        return new Hello(bitmap, version);
    }

    private static FlowMod ReadFlowMod(ref OfpReader r)
    {
        var cookie = r.U64();
        var cookieMask = r.U64();
        var table = r.U8();
        var command = r.U8();
        if (command > (byte)FlowModCommand.DeleteStrict) throw new OpenFlowDecodeException($"flow mod command {command} is unknown");
        r.Skip(4); // timeouts
        var priority = r.U16();
        r.Skip(4); // buffer id
        var outPort = r.U32();
        var outGroup = r.U32();
        var flags = r.U16();
        r.Skip(2);
        var match = Oxm.ReadMatch(ref r);
        var instructions = InstructionCodec.Read(ref r);
        return new FlowMod((FlowModCommand)command, new Flow(table, priority, match, instructions, cookie))
        {
            CookieMask = cookieMask, OutPort = outPort, OutGroup = outGroup, Flags = (FlowModFlags)flags,
        };
    }

    private static GroupMod ReadGroupMod(ref OfpReader r)
    {
        var command = r.U16();
        var type = r.U8();
        r.Skip(1);
        var id = r.U32();
        if (command > (ushort)GroupModCommand.Delete) throw new OpenFlowDecodeException($"group mod command {command} is unknown");
        var groupType = GroupCodec.ReadType(type);
        return new GroupMod((GroupModCommand)command, new GroupEntry(id, groupType, GroupCodec.ReadBuckets(ref r)));
    }

    private static OfpMessage ReadMultipartRequest(ref OfpReader r)
    {
        var type = r.U16();
        r.Skip(6);
        switch ((MultipartType)type)
        {
            case MultipartType.Flow:
                var table = r.U8();
                r.Skip(3 + 4 + 4 + 4);
                var cookie = r.U64();
                var mask = r.U64();
                return new FlowStatsRequest(table, cookie, mask) { Match = Oxm.ReadMatch(ref r) };
            case MultipartType.PortDesc:
                return new PortDescRequest();
            case MultipartType.GroupDesc:
                return new GroupDescRequest();
            default:
                throw new OpenFlowDecodeException($"multipart request type {type} is not supported");
        }
    }

    private static OfpMessage ReadMultipartReply(ref OfpReader r)
    {
        var type = r.U16();
        var more = (r.U16() & MultipartMore) != 0;
        r.Skip(4);
        switch ((MultipartType)type)
        {
            case MultipartType.Flow:
            {
                var flows = ImmutableArray.CreateBuilder<FlowStats>();
                while (!r.AtEnd)
                {
                    var length = r.PeekU16At(0);
                    if (length < 56 || length % 8 != 0) throw new OpenFlowDecodeException($"flow stats entry length {length} (must be at least 56 and a multiple of 8)");
                    var s = r.Sub(length, "flow stats entry");
                    flows.Add(ReadFlowStats(ref s));
                }
                return new FlowStatsReply(flows.ToImmutable(), more);
            }
            case MultipartType.PortDesc:
            {
                var ports = ImmutableArray.CreateBuilder<PortDesc>();
                if (r.Remaining % PortDescLength != 0) throw new OpenFlowDecodeException($"port desc body of {r.Remaining} bytes is not a multiple of {PortDescLength}");
                while (!r.AtEnd)
                {
                    var p = r.Sub(PortDescLength, "port");
                    var portNo = p.U32();
                    p.Skip(4);
                    var hw = p.UInt(6);
                    p.Skip(2);
                    var nameBytes = p.Bytes(PortNameLength);
                    var end = nameBytes.IndexOf((byte)0);
                    var name = Encoding.ASCII.GetString(end < 0 ? nameBytes : nameBytes[..end]);
                    var config = p.U32();
                    var state = p.U32();
                    var current = p.U32();
                    ports.Add(new PortDesc(portNo, name, hw, config, state, current));
                }
                return new PortDescReply(ports.ToImmutable(), more);
            }
            case MultipartType.GroupDesc:
                return new GroupDescReply(GroupCodec.ReadDescs(ref r), more);
            default:
                return new OtherMultipartReply(type, more);
        }
    }

    private static FlowStats ReadFlowStats(ref OfpReader s)
    {
        s.Skip(2);
        var table = s.U8();
        s.Skip(1);
        var seconds = s.U32();
        s.Skip(4);
        var priority = s.U16();
        s.Skip(4); // timeouts
        var flags = s.U16();
        s.Skip(4);
        var cookie = s.U64();
        var packets = s.U64();
        var bytes = s.U64();
        var match = Oxm.ReadMatch(ref s);
        var instructions = InstructionCodec.Read(ref s);
        return new FlowStats(new Flow(table, priority, match, instructions, cookie), packets, bytes, seconds, (FlowModFlags)flags);
    }

    private static OfpMessage ReadExperimenter(ref OfpReader r)
    {
        var experimenter = r.U32();
        var expType = r.U32();
        if (experimenter != Ofp.OnfExperimenter || (expType != Ofp.OnfBundleControl && expType != Ofp.OnfBundleAddMessage))
            throw new OpenFlowDecodeException($"unsupported experimenter message 0x{experimenter:x8}/{expType}");
        var bundleId = r.U32();
        if (expType == Ofp.OnfBundleControl)
        {
            var controlType = r.U16();
            var flags = r.U16();
            if (controlType > (ushort)BundleControlType.DiscardReply) throw new OpenFlowDecodeException($"bundle control type {controlType} is unknown");
            return new BundleControl(bundleId, (BundleControlType)controlType, (BundleFlags)flags);
        }
        r.Skip(2);
        var addFlags = r.U16();
        var rest = r.Bytes(r.Remaining);
        var innerLength = FrameLength(rest);
        if (innerLength > rest.Length) throw new OpenFlowDecodeException($"bundle add: inner message of {innerLength} bytes, only {rest.Length} present");
        var inner = Decode(rest[..innerLength]);
        return new BundleAdd(bundleId, inner.Message, (BundleFlags)addFlags);
    }
}
