using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>OpenFlow 1.3 actions (output, group, push/pop vlan, set_field); Nicira ones live in <see cref="NxActions"/>.</summary>
public static class ActionCodec
{
    public static void WriteActions(OfpWriter w, IEnumerable<FlowAction> actions)
    {
        foreach (var action in actions) Write(w, action);
    }

    public static void Write(OfpWriter w, FlowAction action)
    {
        var start = w.Position;
        switch (action)
        {
            case Output output:
                w.U16(ActionType.Output);
                w.U16(16);
                w.U32(output.Port);
                w.U16(Ofp.NoControllerMaxLen);
                w.Zeros(6);
                break;
            case ToGroup group:
                w.U16(ActionType.Group);
                w.U16(8);
                w.U32(group.GroupId);
                break;
            case PushVlan push:
                w.U16(ActionType.PushVlan);
                w.U16(8);
                w.U16(push.EtherType);
                w.Zeros(2);
                break;
            case PopVlan:
                w.U16(ActionType.PopVlan);
                w.U16(8);
                w.Zeros(4);
                break;
            case SetField set:
                w.U16(ActionType.SetField);
                w.U16(0);
                Oxm.WriteTlv(w, set.Field, set.Value, null);
                w.PadTo8(start);
                w.PatchLength(start + 2, start);
                break;
            case Move or Ct:
                NxActions.Write(w, action);
                break;
            default:
                throw new OpenFlowEncodeException($"action {action.GetType().Name} has no OpenFlow 1.3 encoding");
        }
    }

    /// <summary>Reads actions until the reader is exhausted.</summary>
    public static ImmutableArray<FlowAction> ReadActions(ref OfpReader r)
    {
        var actions = ImmutableArray.CreateBuilder<FlowAction>();
        while (!r.AtEnd) actions.Add(Read(ref r));
        return actions.ToImmutable();
    }

    public static FlowAction Read(ref OfpReader r)
    {
        var type = r.PeekU16At(0);
        var length = r.PeekU16At(2);
        if (length < 8 || length % 8 != 0)
            throw new OpenFlowDecodeException($"action type {type} has length {length} (must be a non-zero multiple of 8)");
        var a = r.Sub(length, $"action type {type}");
        a.Skip(4);
        switch (type)
        {
            case ActionType.Output:
                var port = a.U32();
                a.U16(); // max_len
                return new Output(port);
            case ActionType.Group:
                return new ToGroup(a.U32());
            case ActionType.PushVlan:
                return new PushVlan(a.U16());
            case ActionType.PopVlan:
                return new PopVlan();
            case ActionType.SetField:
                var (field, value, mask) = Oxm.ReadTlv(ref a);
                if (mask is not null) throw new OpenFlowDecodeException($"set_field of {field} carries a mask");
                return new SetField(field, value);
            case ActionType.Experimenter:
                return NxActions.Read(ref a, length);
            default:
                throw new OpenFlowDecodeException($"unsupported action type {type}");
        }
    }
}
