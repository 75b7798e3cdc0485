using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Dataplane.Ovs.OpenFlow;

public sealed partial class OpenFlowConnection
{
    private const BundleFlags AtomicOrdered = BundleFlags.Atomic | BundleFlags.Ordered;
    private int _bundleId;

    /// <summary>
    /// Applies flow mods and group mods all or nothing through an ONF bundle: open, add each, then a
    /// barrier — errors OVS finds while decoding an add (bad action, bad goto) have arrived by then and
    /// lead to a discard — then commit (atomic, ordered). On commit OVS reports the failing inner
    /// message by its xid before the commit error, and rolls back. Either failure throws an
    /// <see cref="OpenFlowBundleException"/> naming that message; the switch is unchanged.
    /// </summary>
    public async Task ApplyBundleAsync(IEnumerable<OfpMessage> messages, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        foreach (var message in list)
        {
            if (message is not (FlowMod or GroupMod))
                throw new ArgumentException($"only flow mods and group mods go into a bundle, not {message.GetType().Name}", nameof(messages));
        }
        var bundleId = (uint)Interlocked.Increment(ref _bundleId);
        var opened = await RequestAsync(new BundleControl(bundleId, BundleControlType.OpenRequest, AtomicOrdered), cancellationToken);
        ExpectBundleReply(opened, bundleId, BundleControlType.OpenReply);

        var adds = list.Select(m => (Message: (OfpMessage)new BundleAdd(bundleId, m, AtomicOrdered), Xid: NextXid())).ToList();
        var collector = new ErrorCollector();
        foreach (var (_, xid) in adds) _watched[xid] = collector;
        try
        {
            await SendManyAsync(adds, cancellationToken);
            await BarrierAsync(cancellationToken);
            if (collector.Errors.Count > 0)
            {
                await DiscardQuietlyAsync(bundleId, cancellationToken);
                throw Failure(bundleId, "was discarded", collector, adds, list, null);
            }
            try
            {
                var committed = await RequestAsync(new BundleControl(bundleId, BundleControlType.CommitRequest, AtomicOrdered), cancellationToken);
                ExpectBundleReply(committed, bundleId, BundleControlType.CommitReply);
            }
            catch (OpenFlowErrorException commitError) when (commitError is not OpenFlowBundleException)
            {
                throw Failure(bundleId, "was rolled back on commit", collector, adds, list, commitError.Error);
            }
        }
        finally
        {
            foreach (var (_, xid) in adds) _watched.TryRemove(xid, out _);
        }
    }

    private OpenFlowBundleException Failure(uint bundleId, string outcome, ErrorCollector collector,
        List<(OfpMessage Message, uint Xid)> adds, List<OfpMessage> messages, ErrorMessage? commitError)
    {
        if (collector.Errors is [var (xid, error), ..])
        {
            var index = adds.FindIndex(a => a.Xid == xid);
            var detail = commitError is null ? "" : $"; commit: {commitError.Name}";
            return new OpenFlowBundleException(error, index, messages[index],
                $"{Target.Text}: bundle {bundleId} of {messages.Count} messages {outcome}: message {index} ({Describe(messages[index])}) failed: {error.Name}{detail}");
        }
        var only = commitError ?? throw new InvalidOperationException("a bundle failure without an error");
        return new OpenFlowBundleException(only, null, null, $"{Target.Text}: bundle {bundleId} of {messages.Count} messages {outcome}: {only.Name}");
    }

    private async Task DiscardQuietlyAsync(uint bundleId, CancellationToken cancellationToken)
    {
        try
        {
            await RequestAsync(new BundleControl(bundleId, BundleControlType.DiscardRequest, AtomicOrdered), cancellationToken);
        }
        catch (OpenFlowErrorException)
        {
            // already gone; nothing was committed either way
        }
    }

    private void ExpectBundleReply(OfpMessage reply, uint bundleId, BundleControlType type)
    {
        if (reply is not BundleControl control || control.BundleId != bundleId || control.Type != type)
            throw new OpenFlowProtocolException($"{Target.Text}: expected bundle {bundleId} {type}, got {reply}");
    }
}
