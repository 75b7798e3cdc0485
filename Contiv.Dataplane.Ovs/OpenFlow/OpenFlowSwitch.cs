using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>The dataplane actor's <see cref="ISwitch"/> over our OpenFlow connection: operations become one bundle.</summary>
public sealed class OpenFlowSwitch(OpenFlowConnection connection) : ISwitch
{
    public OpenFlowConnection Connection { get; } = connection;

    public static SwitchConnector Connector(string target, OpenFlowSettings settings) =>
        async cancellation => new OpenFlowSwitch(await OpenFlowConnection.ConnectAsync(target, settings, cancellation));

    public Task Closed => Connection.Completion.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public async Task<IReadOnlyList<Flow>> ReadFlowsAsync(CancellationToken cancellation) =>
        [.. (await Connection.DumpFlowsAsync(cancellationToken: cancellation)).Select(s => s.Flow)];

    public async Task<IReadOnlyList<GroupEntry>> ReadGroupsAsync(CancellationToken cancellation) =>
        await Connection.DumpGroupsAsync(cancellation);

    public async Task ApplyAsync(IReadOnlyList<FlowOp> operations, CancellationToken cancellation)
    {
        if (operations.Count == 0) return;
        await Connection.ApplyBundleAsync(operations.Select(ToMessage), cancellation);
    }

    public static OfpMessage ToMessage(FlowOp operation) => operation switch
    {
        AddFlow add => FlowMod.Add(add.Flow),
        ModifyFlow modify => FlowMod.ModifyStrict(modify.Flow),
        DeleteFlow delete => FlowMod.DeleteStrict(new Flow(delete.Key.Table, delete.Key.Priority, delete.Key.Match, Instructions.Drop, 0)),
        DeleteFlowsByCookie delete => FlowMod.DeleteByCookie(delete.Cookie, delete.CookieMask),
        AddGroup add => GroupMod.Add(add.Group),
        ModifyGroup modify => GroupMod.Modify(modify.Group),
        DeleteGroup delete => GroupMod.Delete(delete.GroupId),
        _ => throw new ArgumentException($"unknown flow operation {operation.GetType().Name}", nameof(operation)),
    };

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
