using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Dataplane.Ovs.OpenFlow;

public sealed partial class OpenFlowConnection
{
    /// <summary>Waits until the switch has processed everything sent before.</summary>
    public async Task BarrierAsync(CancellationToken cancellationToken = default) =>
        await RequestAsync(new BarrierRequest(), cancellationToken);

    /// <summary>Reads the installed flows (all tables unless the request names one), following MORE.</summary>
    public async Task<ImmutableArray<FlowStats>> DumpFlowsAsync(FlowStatsRequest? request = null, CancellationToken cancellationToken = default)
    {
        var parts = await RequestPartsAsync(request ?? new FlowStatsRequest(), cancellationToken);
        return [.. parts.Cast<FlowStatsReply>().SelectMany(p => p.Flows)];
    }

    /// <summary>The switch's ports (OFPMP_PORT_DESC), following MORE.</summary>
    public async Task<ImmutableArray<PortDesc>> GetPortsAsync(CancellationToken cancellationToken = default)
    {
        var parts = await RequestPartsAsync(new PortDescRequest(), cancellationToken);
        return [.. parts.Cast<PortDescReply>().SelectMany(p => p.Ports)];
    }

    /// <summary>The installed groups with their buckets (OFPMP_GROUP_DESC), following MORE.</summary>
    public async Task<ImmutableArray<GroupEntry>> DumpGroupsAsync(CancellationToken cancellationToken = default)
    {
        var parts = await RequestPartsAsync(new GroupDescRequest(), cancellationToken);
        return [.. parts.Cast<GroupDescReply>().SelectMany(p => p.Groups)];
    }

    /// <summary>
    /// Sends flow mods and group mods without a bundle, then a barrier. Not atomic: messages before a
    /// failing one stay applied. Throws for the first failure, naming the message.
    /// </summary>
    public async Task SendAndBarrierAsync(IEnumerable<OfpMessage> messages, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var sent = list.Select(m => (Message: m, Xid: NextXid())).ToList();
        var collector = new ErrorCollector();
        foreach (var (_, xid) in sent) _watched[xid] = collector;
        try
        {
            await SendManyAsync(sent, cancellationToken);
            await BarrierAsync(cancellationToken);
        }
        finally
        {
            foreach (var (_, xid) in sent) _watched.TryRemove(xid, out _);
        }
        if (collector.Errors is [var (failedXid, error), ..])
        {
            var index = sent.FindIndex(s => s.Xid == failedXid);
            throw new OpenFlowErrorException(error,
                $"{Target.Text}: message {index} of {list.Count} failed: {Describe(list[index])}: {error.Name}" +
                (collector.Errors.Count > 1 ? $" (and {collector.Errors.Count - 1} more)" : ""));
        }
    }

    /// <summary>A short description of a message for error reports.</summary>
    public static string Describe(OfpMessage message) => message switch
    {
        FlowMod mod => $"flow mod {mod.Command} table={mod.Flow.Table} priority={mod.Flow.Priority} match={mod.Flow.Match} cookie=0x{mod.Flow.Cookie:x}",
        GroupMod mod => $"group mod {mod.Command} group={mod.Group.Id} type={mod.Group.Type} buckets={mod.Group.Buckets.Length}",
        _ => message.GetType().Name,
    };
}
