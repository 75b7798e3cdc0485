using Contiv.Collections;

namespace Contiv.Dataplane.Ovs.Flows;

/// <summary>
/// What a flow does after it matches: apply actions now, optionally write metadata, then go to a
/// later table. No actions and no goto means drop.
/// </summary>
public sealed record Instructions
{
    public static readonly Instructions Drop = new();

    public ValueArray<FlowAction> Apply { get; init; } = [];
    public (ulong Value, ulong Mask)? WriteMetadata { get; init; }
    public byte? GotoTable { get; init; }

    public static Instructions Goto(byte table) => new() { GotoTable = table };
    public static Instructions Actions(params FlowAction[] actions) => new() { Apply = [.. actions] };

    public Instructions Then(byte table) => this with { GotoTable = table };
    public Instructions AndApply(params FlowAction[] actions) => this with { Apply = [.. Apply, .. actions] };
}

/// <summary>
/// One flow: its identity in the switch is (table, priority, match); the cookie names who owns it
/// (see <see cref="FlowCookie"/>) so that a whole round or owner can be found and removed.
/// </summary>
public sealed record Flow(byte Table, ushort Priority, Match Match, Instructions Instructions, ulong Cookie)
{
    public FlowKey Key => new(Table, Priority, Match);
}

public readonly record struct FlowKey(byte Table, ushort Priority, Match Match);

public enum GroupType : byte
{
    All = 0,
    Select = 1,
}

public sealed record Bucket(ValueArray<FlowAction> Actions, ushort Weight = 0);

/// <summary>A group: flooding (all) or load balancing (select).</summary>
public sealed record GroupEntry(uint Id, GroupType Type, ValueArray<Bucket> Buckets);
