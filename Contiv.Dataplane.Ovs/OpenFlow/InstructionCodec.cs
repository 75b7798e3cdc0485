using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>Instructions of a flow: apply-actions, write-metadata, goto-table (in that order).</summary>
public static class InstructionCodec
{
    public static void Write(OfpWriter w, Instructions instructions)
    {
        if (!instructions.Apply.IsEmpty)
        {
            var start = w.Position;
            w.U16(InstructionType.ApplyActions);
            w.U16(0);
            w.Zeros(4);
            ActionCodec.WriteActions(w, instructions.Apply);
            w.PatchLength(start + 2, start);
        }
        if (instructions.WriteMetadata is { } metadata)
        {
            w.U16(InstructionType.WriteMetadata);
            w.U16(24);
            w.Zeros(4);
            w.U64(metadata.Value);
            w.U64(metadata.Mask);
        }
        if (instructions.GotoTable is { } table)
        {
            w.U16(InstructionType.GotoTable);
            w.U16(8);
            w.U8(table);
            w.Zeros(3);
        }
    }

    public static Instructions Read(ref OfpReader r)
    {
        var result = Instructions.Drop;
        while (!r.AtEnd)
        {
            var type = r.PeekU16At(0);
            var length = r.PeekU16At(2);
            if (length < 8 || length % 8 != 0)
                throw new OpenFlowDecodeException($"instruction type {type} has length {length} (must be a non-zero multiple of 8)");
            var i = r.Sub(length, $"instruction type {type}");
            i.Skip(4);
            switch (type)
            {
                case InstructionType.GotoTable:
                    result = result with { GotoTable = i.U8() };
                    break;
                case InstructionType.WriteMetadata:
                    i.Skip(4);
                    result = result with { WriteMetadata = (i.U64(), i.U64()) };
                    break;
                case InstructionType.ApplyActions:
                    i.Skip(4);
                    result = result with { Apply = [.. result.Apply, .. ActionCodec.ReadActions(ref i)] };
                    break;
                default:
                    throw new OpenFlowDecodeException($"unsupported instruction type {type}");
            }
        }
        return result;
    }
}
