using System.Collections.Immutable;

namespace Contiv.Dataplane.Ovs.Flows;

/// <summary>
/// What a flow does after it matches: apply actions now, optionally write metadata, then go to a
/// later table. No actions and no goto means drop.
/// </summary>
public sealed record Instructions
{
    public static readonly Instructions Drop = new();

    public ImmutableArray<FlowAction> Apply { get; init; } = [];
    public (ulong Value, ulong Mask)? WriteMetadata { get; init; }
    public byte? GotoTable { get; init; }

    public static Instructions Goto(byte table) => new() { GotoTable = table };
    public static Instructions Actions(params FlowAction[] actions) => new() { Apply = [.. actions] };

    public Instructions Then(byte table) => this with { GotoTable = table };
    public Instructions AndApply(params FlowAction[] actions) => this with { Apply = [.. Apply, .. actions] };

    public bool Equals(Instructions? other) =>
        other is not null && Apply.SequenceEqual(other.Apply) && WriteMetadata == other.WriteMetadata && GotoTable == other.GotoTable;

    public override int GetHashCode() => HashCode.Combine(Apply.Length, WriteMetadata, GotoTable);
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

public sealed record Bucket(ImmutableArray<FlowAction> Actions, ushort Weight = 0)
{
    public bool Equals(Bucket? other) => other is not null && Weight == other.Weight && Actions.SequenceEqual(other.Actions);
    public override int GetHashCode() => HashCode.Combine(Weight, Actions.Length);
}

/// <summary>A group: flooding (all) or load balancing (select).</summary>
public sealed record GroupEntry(uint Id, GroupType Type, ImmutableArray<Bucket> Buckets)
{
    public bool Equals(GroupEntry? other) => other is not null && Id == other.Id && Type == other.Type && Buckets.SequenceEqual(other.Buckets);
    public override int GetHashCode() => HashCode.Combine(Id, Type, Buckets.Length);
}
