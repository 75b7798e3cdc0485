using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.Pipeline;

namespace Contiv.Tests.Pipeline;

/// <summary>
/// Walks a packet through compiled flows the way ovs-vswitchd would (highest-priority match per
/// table, apply-actions then goto, ct() recirculation, groups), with the conntrack state a test
/// chooses. It is strict where OVS would be arbitrary: two matching flows of one priority with
/// different instructions fail the test.
/// </summary>
internal sealed class PipelineSimulator
{
    private readonly Dictionary<byte, Flow[]> _tables;
    private readonly Dictionary<uint, GroupEntry> _groups;

    public PipelineSimulator(CompiledFlows compiled)
    {
        _tables = compiled.Flows.GroupBy(f => f.Table).ToDictionary(g => g.Key, g => g.OrderByDescending(f => f.Priority).ToArray());
        _groups = compiled.Groups.ToDictionary(g => g.Id);
    }

    public sealed record Emitted(uint Port, IReadOnlyDictionary<Field, ulong> Packet);

    public sealed record Result(List<Emitted> Outputs, bool Committed, List<byte> Tables)
    {
        public bool DeliveredTo(uint port) => Outputs.Any(o => o.Port == port);
    }

    public Result Run(IReadOnlyDictionary<Field, ulong> packet, CtStateBits conntrack)
    {
        var fields = new Dictionary<Field, ulong>(packet);
        for (var r = 0; r < 8; r++) fields.TryAdd(FieldInfo.Register(r), 0);
        fields.TryAdd(Field.TunnelId, 0);
        fields.TryAdd(Field.Metadata, 0);
        fields.TryAdd(Field.CtState, 0);
        var result = new Result([], false, []);
        var committed = false;
        byte? table = 0;
        var steps = 0;
        while (table is { } current)
        {
            if (++steps > 32) throw new InvalidOperationException("pipeline loop");
            result.Tables.Add(current);
            var flow = Select(current, fields);
            table = null;
            foreach (var action in flow.Instructions.Apply)
            {
                if (action is Ct ct)
                {
                    if (ct.Commit) committed = true;
                    if (ct.RecirculateTable is { } next)
                    {
                        fields[Field.CtState] = (ulong)(conntrack | CtStateBits.Tracked);
                        fields[Field.CtZone] = ct.Zone;
                        table = next;
                        goto recirculated;
                    }
                    continue;
                }
                Execute(action, fields, result.Outputs);
            }
            if (flow.Instructions.GotoTable is { } gotoTable)
            {
                if (gotoTable <= current) throw new InvalidOperationException($"goto from {current} back to {gotoTable}");
                table = gotoTable;
            }
        recirculated:;
        }
        return result with { Committed = committed };
    }

    private Flow Select(byte table, Dictionary<Field, ulong> fields)
    {
        if (!_tables.TryGetValue(table, out var flows)) throw new InvalidOperationException($"table {table} has no flows");
        Flow? chosen = null;
        foreach (var flow in flows)
        {
            if (chosen is not null && flow.Priority < chosen.Priority) break;
            if (!Matches(flow.Match, fields)) continue;
            if (chosen is null) chosen = flow;
            else if (!chosen.Instructions.Equals(flow.Instructions))
                throw new InvalidOperationException($"ambiguous: table {table} priority {flow.Priority}: {chosen.Match} and {flow.Match}");
        }
        return chosen ?? throw new InvalidOperationException($"table {table} has no miss flow");
    }

    private static bool Matches(Match match, Dictionary<Field, ulong> fields)
    {
        foreach (var f in match.Fields)
        {
            if (!fields.TryGetValue(f.Field, out var value)) return false;
            if ((value & (f.Mask ?? f.Field.FullMask())) != f.Value) return false;
        }
        return true;
    }

    private void Execute(FlowAction action, Dictionary<Field, ulong> fields, List<Emitted> outputs)
    {
        switch (action)
        {
            case SetField set:
                fields[set.Field] = set.Value;
                break;
            case Move move:
                fields[move.Destination] = fields[move.Source];
                break;
            case PushVlan:
                fields[Field.VlanVid] = 0x1000;
                break;
            case PopVlan:
                fields.Remove(Field.VlanVid);
                break;
            case Output output:
                var inPort = (uint)fields[Field.InPort];
                if (output.Port == Ports.InPort) outputs.Add(new Emitted(inPort, new Dictionary<Field, ulong>(fields)));
                else if (output.Port != inPort) outputs.Add(new Emitted(output.Port, new Dictionary<Field, ulong>(fields)));
                break;
            case ToGroup group:
                foreach (var bucket in _groups[group.GroupId].Buckets)
                {
                    var copy = new Dictionary<Field, ulong>(fields);
                    foreach (var bucketAction in bucket.Actions) Execute(bucketAction, copy, outputs);
                }
                break;
            default:
                throw new NotSupportedException(action.ToString());
        }
    }
}
