using System.Collections.Immutable;
using Akka.Actor;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Views;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Reads;

public sealed partial class ReadModelActor
{
    /// <summary>An inspect adds what others know to the replica's view: a pool's usage, or which hosts hold a policy.</summary>
    private void Inspect(InspectObject inspect)
    {
        if (!inspect.Kind.IsTenantScoped())
        {
            Sender.Tell(GlobalViews.Inspect(_state.Global!.State, inspect.Kind, inspect.Key) is { } json ? new ApiOk(json) : NotFound(inspect.Kind, inspect.Key));
            return;
        }
        var (tenant, name) = Split(inspect.Kind, inspect.Key);
        var sender = Sender;
        if (!_state.Tenants.TryGetValue(tenant, out var replica) || replica.View(inspect.Kind, name) is null)
        {
            sender.Tell(NotFound(inspect.Kind, inspect.Key));
            return;
        }
        var state = replica.State;
        switch (inspect.Kind)
        {
            case ObjectKind.Policy:
                var groups = state.Groups.Values.Where(g => g.Policies?.Contains(name) == true)
                    .Select(g => new FeedKey(FeedKind.Group, g.Key)).ToImmutableArray();
                _feed.Ask<Realization>(new GetRealization(new FeedKey(FeedKind.Policy, inspect.Key), groups),
                        TimeSpan.FromTicks(Math.Min(_settings.AskTimeout.Ticks, TimeSpan.FromSeconds(2).Ticks)))
                    .ContinueWith(task => (object)new ApiOk(TenantViews.Inspect(state, inspect.Kind, name, null,
                        task.IsCompletedSuccessfully ? task.Result.Hosts : null)!))
                    .PipeTo(sender);
                return;
            case ObjectKind.Network:
                InspectWithPool(state, inspect, name, name, rangeOwner: null, sender);
                return;
            case ObjectKind.EndpointGroup when state.Groups[name] is { IpPool: not null } group:
                InspectWithPool(state, inspect, name, group.NetworkName!, IpPoolState.GroupOwnerPrefix + name, sender);
                return;
            case ObjectKind.Tenant:
                sender.Tell(new ApiOk(replica.TenantInspect.Value!));
                return;
            default:
                sender.Tell(new ApiOk(TenantViews.Inspect(state, inspect.Kind, name, null)!));
                return;
        }
    }

    private void InspectWithPool(Entities.Tenants.TenantState state, InspectObject inspect, string name, string network, string? rangeOwner, IActorRef sender) =>
        _pools.Ask<object>(new ShardEnvelope(PoolOwners.PoolId(state.Name, network), new InspectPool(rangeOwner)), _settings.AskTimeout)
            .ContinueWith(task => task.IsCompletedSuccessfully && task.Result is PoolUsage usage
                ? new ApiOk(TenantViews.Inspect(state, inspect.Kind, name, usage)!)
                : (object)ApiError.Unavailable($"the address pool of network {network} did not answer"))
            .PipeTo(sender);
}
