using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Views;
using Contiv.Master.Sharding;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Entities.Tenants;

public sealed partial class TenantEntity
{
    /// <summary>An inspect adds what other entities know: the pool's usage, or which hosts hold a policy.</summary>
    private void Inspect(InspectObject inspect)
    {
        var name = NameIn(inspect.Key);
        var state = _state;
        var sender = Sender;
        if (inspect.Kind == ObjectKind.Policy && state.Policies.ContainsKey(name))
        {
            // Which hosts hold the policy's newest change (its rules, or a group it was attached to).
            var groups = state.Groups.Values.Where(g => g.Policies?.Contains(name) == true)
                .Select(g => new Messages.Feed.FeedKey(Messages.Feed.FeedKind.Group, g.Key)).ToImmutableArray();
            _feed.Ask<Messages.Feed.Realization>(new Messages.Feed.GetRealization(new Messages.Feed.FeedKey(Messages.Feed.FeedKind.Policy, $"{_name}:{name}"), groups),
                    TimeSpan.FromTicks(Math.Min(_settings.AskTimeout.Ticks, TimeSpan.FromSeconds(2).Ticks)))
                .ContinueWith(task => (object)new ApiOk(TenantViews.Inspect(state, inspect.Kind, name, null,
                    task.IsCompletedSuccessfully ? task.Result.Hosts : null)!))
                .PipeTo(sender);
            return;
        }
        string? poolNetwork = null;
        string? rangeOwner = null;
        if (inspect.Kind == ObjectKind.Network && state.Networks.ContainsKey(name))
        {
            poolNetwork = name;
        }
        else if (inspect.Kind == ObjectKind.EndpointGroup && state.Groups.TryGetValue(name, out var group))
        {
            poolNetwork = group.NetworkName;
            rangeOwner = group.IpPool is null ? null : IpPoolState.GroupOwnerPrefix + name;
        }
        if (poolNetwork is null || (inspect.Kind == ObjectKind.EndpointGroup && rangeOwner is null))
        {
            var servedBy = inspect.Kind == ObjectKind.Tenant ? Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString() : null;
            sender.Tell(TenantViews.Inspect(state, inspect.Kind, name, null, servedBy: servedBy) is { } json ? new ApiOk(json) : NotFound(inspect.Kind, inspect.Key));
            return;
        }
        _pools.Ask<object>(new ShardEnvelope(EntityIds.Pool(_name, poolNetwork), new InspectPool(rangeOwner)), _settings.AskTimeout)
            .ContinueWith(task => task.IsCompletedSuccessfully && task.Result is PoolUsage usage
                ? new ApiOk(TenantViews.Inspect(state, inspect.Kind, name, usage)!)
                : (object)ApiError.Unavailable($"the address pool of network {poolNetwork} did not answer"))
            .PipeTo(sender);
    }
}
