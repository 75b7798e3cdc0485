using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.Apply;

/// <summary>
/// One OpenFlow session with a bridge, as the dataplane actor needs it: read the installed flows
/// and groups back, apply a list of changes atomically (one bundle), and notice when the session ends.
/// </summary>
public interface ISwitch : IAsyncDisposable
{
    Task<IReadOnlyList<Flow>> ReadFlowsAsync(CancellationToken cancellation);

    Task<IReadOnlyList<GroupEntry>> ReadGroupsAsync(CancellationToken cancellation);

    /// <summary>Applies every operation or none (an OpenFlow bundle). Throws when the switch refuses.</summary>
    Task ApplyAsync(IReadOnlyList<FlowOp> operations, CancellationToken cancellation);

    /// <summary>Completes when the session is lost (switch restart, socket closed, keep-alive failed).</summary>
    Task Closed { get; }
}

/// <summary>Opens a session with the switch (where and how is the caller's business).</summary>
public delegate Task<ISwitch> SwitchConnector(CancellationToken cancellation);
