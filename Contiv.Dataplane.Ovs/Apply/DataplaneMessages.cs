using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Dataplane.Ovs.Apply;

/// <summary>The host's complete desired state, numbered; later versions supersede earlier ones.</summary>
public sealed record ApplyHostState(HostState State, long Version);

/// <summary>Told to the report target once a version is in the switch.</summary>
public sealed record DataplaneApplied(long Version, byte Round, int Flows, int Operations, TimeSpan Took);

/// <summary>Told when the switch refused a version (the switch is unchanged; the next version is tried anew).</summary>
public sealed record DataplaneApplyFailed(long Version, string Reason);

/// <summary>Told when the session with the switch is lost; the actor reconnects by itself.</summary>
public sealed record DataplaneDisconnected(string Reason);

/// <summary>Asks whether the switch holds, as read back now, every flow the applied state has for a local endpoint.</summary>
public sealed record CheckEndpointFlows(string EndpointId);

/// <summary>The answer to <see cref="CheckEndpointFlows"/>: <paramref name="Problem"/> is null when every one of the
/// <paramref name="Expected"/> flows is in the switch; otherwise it says what is wrong.</summary>
public sealed record EndpointFlowsChecked(string EndpointId, int Expected, IReadOnlyList<Flow> Missing, string? Problem);
