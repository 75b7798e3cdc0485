using Contiv.Collections;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// The complete desired content of the switch for one host state: flows in canonical order (table,
/// priority descending, match), each key once, and groups by id. Equal states compile to equal values.
/// </summary>
public sealed record CompiledFlows(byte Round, ValueArray<Flow> Flows, ValueArray<GroupEntry> Groups)
{
    public int Count => Flows.Length;

    public IEnumerable<Flow> InTable(TableDescriptor table) => Flows.Where(f => f.Table == table.Id);

    public IEnumerable<Flow> OwnedBy(OwnerKind kind, ulong ownerId) =>
        Flows.Where(f => FlowCookie.From(f.Cookie) is var cookie && cookie.Kind == kind && cookie.OwnerId == ownerId);
}
