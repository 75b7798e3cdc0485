using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.OpenFlow.Messages;

/// <summary>
/// OFPT_FLOW_MOD for one flow. Timeouts are 0 and the buffer is NO_BUFFER. For adds and modifies
/// the flow's cookie is set; for deletes and non-strict modifies <see cref="CookieMask"/> selects
/// the flows by cookie (0 = any), and table 0xff means all tables.
/// </summary>
public sealed record FlowMod(FlowModCommand Command, Flow Flow) : OfpMessage
{
    public ulong CookieMask { get; init; }
    public uint OutPort { get; init; } = Ports.Any;
    public uint OutGroup { get; init; } = Ofp.AnyGroup;
    public FlowModFlags Flags { get; init; }

    public static FlowMod Add(Flow flow) => new(FlowModCommand.Add, flow);
    public static FlowMod ModifyStrict(Flow flow) => new(FlowModCommand.ModifyStrict, flow);
    public static FlowMod DeleteStrict(Flow flow) => new(FlowModCommand.DeleteStrict, flow);

    /// <summary>Deletes every flow (in one table or all) whose cookie equals <paramref name="cookie"/> under <paramref name="mask"/>.</summary>
    public static FlowMod DeleteByCookie(ulong cookie, ulong mask, byte table = Ofp.AllTables) =>
        new(FlowModCommand.Delete, new Flow(table, 0, Match.Any, Instructions.Drop, cookie)) { CookieMask = mask };
}
