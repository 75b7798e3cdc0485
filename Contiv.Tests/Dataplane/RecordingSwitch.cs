using System.Collections.Concurrent;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Tests.Dataplane;

/// <summary>
/// Wraps a connector so that every session it opens is a <see cref="RecordingSwitch"/>: the test
/// sees what the actor read and sent, while the real switch does the work.
/// </summary>
public sealed class SwitchRecorder(SwitchConnector connect)
{
    public ConcurrentQueue<RecordingSwitch> Sessions { get; } = new();

    public SwitchConnector Connector => async cancellation =>
    {
        var session = new RecordingSwitch(await connect(cancellation));
        Sessions.Enqueue(session);
        return session;
    };
}

public sealed class RecordingSwitch(ISwitch inner) : ISwitch
{
    public IReadOnlyList<GroupEntry>? GroupsRead { get; private set; }

    /// <summary>The operations of every apply, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<FlowOp>> Applied { get; } = new();

    public Task Closed => inner.Closed;

    public Task<IReadOnlyList<Flow>> ReadFlowsAsync(CancellationToken cancellation) => inner.ReadFlowsAsync(cancellation);

    public async Task<IReadOnlyList<GroupEntry>> ReadGroupsAsync(CancellationToken cancellation) =>
        GroupsRead = await inner.ReadGroupsAsync(cancellation);

    public Task ApplyAsync(IReadOnlyList<FlowOp> operations, CancellationToken cancellation)
    {
        Applied.Enqueue(operations);
        return inner.ApplyAsync(operations, cancellation);
    }

    /// <summary>Ends the session as a lost connection would; the actor sees <see cref="Closed"/> complete.</summary>
    public ValueTask DropAsync() => inner.DisposeAsync();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
