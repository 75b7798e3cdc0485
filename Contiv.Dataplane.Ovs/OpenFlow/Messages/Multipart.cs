using Contiv.Collections;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

/// <summary>A multipart reply part; <see cref="More"/> means further parts with the same xid follow.</summary>
public interface IMultipartReply
{
    bool More { get; }
}

/// <summary>OFPMP_FLOW request: the flows of one table (or all, 0xff) whose cookie matches under the mask.</summary>
public sealed record FlowStatsRequest(byte Table = Ofp.AllTables, ulong Cookie = 0, ulong CookieMask = 0) : OfpMessage
{
    public Match Match { get; init; } = Match.Any;
}

public sealed record FlowStats(Flow Flow, ulong Packets, ulong Bytes, uint DurationSeconds, FlowModFlags Flags);

public sealed record FlowStatsReply(ValueArray<FlowStats> Flows, bool More = false) : OfpMessage, IMultipartReply;

public sealed record PortDescRequest : OfpMessage;

/// <summary>One port of the switch: number, name and hardware address (low 48 bits).</summary>
public sealed record PortDesc(uint PortNo, string Name, ulong HwAddr, uint Config = 0, uint State = 0, uint CurrentFeatures = 0);

public sealed record PortDescReply(ValueArray<PortDesc> Ports, bool More = false) : OfpMessage, IMultipartReply;

/// <summary>OFPMP_GROUP_DESC request: every group with its type and buckets (OpenFlow 1.3 cannot ask for one).</summary>
public sealed record GroupDescRequest : OfpMessage;

public sealed record GroupDescReply(ValueArray<GroupEntry> Groups, bool More = false) : OfpMessage, IMultipartReply;

/// <summary>A multipart reply of a type we do not interpret; still framed so MORE can be followed.</summary>
public sealed record OtherMultipartReply(ushort MultipartType, bool More) : OfpMessage, IMultipartReply;
