using System.Buffers.Binary;
using Contiv.Collections;

namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

/// <summary>
/// OFPT_ERROR. For experimenter errors (type 0xffff) <see cref="Code"/> is the exp_type and
/// <see cref="Experimenter"/> the id (e.g. ONF bundle errors 2300+). <see cref="Data"/> holds
/// (at least the first 64 bytes of) the offending request.
/// </summary>
public sealed record ErrorMessage(ushort Type, ushort Code, ValueArray<byte> Data, uint? Experimenter = null) : OfpMessage
{
    public const ushort ExperimenterType = 0xffff;

    /// <summary>e.g. OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT.</summary>
    public string Name => OpenFlowErrors.Name(Type, Code, Experimenter);

    /// <summary>The xid in the header of the offending request, when the data holds one.</summary>
    public uint? OffendingXid => Data.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(Data.AsSpan()[4..8]) : null;

    /// <summary>The message type of the offending request, when the data holds one.</summary>
    public MessageType? OffendingType => Data.Length >= 2 ? (MessageType)Data[1] : null;

    public override string ToString() =>
        $"{Name} (offending {(OffendingType?.ToString() ?? "?")} xid={(OffendingXid is { } x ? $"0x{x:x}" : "?")}, {Data.Length} bytes)";
}
