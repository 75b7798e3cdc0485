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
