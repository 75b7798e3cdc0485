using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.Apply;

/// <summary>One change to send to the switch (one flow-mod or group-mod, in a bundle).</summary>
public abstract record FlowOp;

/// <summary>
/// OFPFC_ADD: installs a new flow, or replaces the flow with the same key — instructions, cookie
/// and all. Used whenever the cookie changes: in OpenFlow 1.3 OVS keeps a flow's cookie on modify.
/// </summary>
public sealed record AddFlow(Flow Flow) : FlowOp;

/// <summary>OFPFC_MODIFY_STRICT: new instructions for the flow with this key (its cookie is already right).</summary>
public sealed record ModifyFlow(Flow Flow) : FlowOp;

/// <summary>OFPFC_DELETE_STRICT of exactly this key.</summary>
public sealed record DeleteFlow(FlowKey Key) : FlowOp;

/// <summary>OFPFC_DELETE in all tables of every flow whose cookie matches under the mask.</summary>
public sealed record DeleteFlowsByCookie(ulong Cookie, ulong CookieMask) : FlowOp;

public sealed record AddGroup(GroupEntry Group) : FlowOp;

public sealed record ModifyGroup(GroupEntry Group) : FlowOp;

public sealed record DeleteGroup(uint GroupId) : FlowOp;
