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
    /// <summary>
    /// After recovery, make the other entities agree with this tenant: tags held for networks it does not
    /// have (a create that died half-way) are given back, and pools it was working on when it died are
    /// re-synchronised. Requests wait until this is done.
    /// </summary>
    private void Reconcile()
    {
        _requester = ActorRefs.Nobody;
        Become(Busy);
        if (_state.Exists && _state.Id == 0)
        {
            // Created before tenants had numbers: global numbered it when it recovered; ask for it.
            AskThen(GlobalEntityRef, new RegisterTenant(_name), registered =>
            {
                _state = _state with { Id = ((TenantRegistered)registered).Id };
                _feed.Tell(Dump());
                ReleaseUnfinishedNetworks();
            }, onError: _ => ReleaseUnfinishedNetworks());
            return;
        }
        ReleaseUnfinishedNetworks();
    }

    private void ReleaseUnfinishedNetworks()
    {
        AskThen(GlobalEntityRef, new ListTagOwners(_name + ":"), owners =>
        {
            foreach (var owner in ((TagOwners)owners).Owners)
            {
                var network = owner[(_name.Length + 1)..];
                if (_state.Networks.ContainsKey(network)) continue;
                _log.Info("tenant {0}: releasing tags and pool of unfinished network {1}", _name, network);
                _pools.Tell(new ShardEnvelope(EntityIds.Pool(_name, network), new ClosePool()));
                _global.Tell(new ShardEnvelope(EntityIds.Global, new ReleaseNetworkTags(owner)));
            }
            ReconcilePools(new Queue<string>(_state.PendingPoolWork));
        }, onError: error =>
        {
            _log.Warning("tenant {0}: could not list tags to reconcile: {1}", _name, error.Message);
            ReconcilePools(new Queue<string>(_state.PendingPoolWork));
        });
    }

    private void ReconcilePools(Queue<string> pending)
    {
        if (!pending.TryDequeue(out var network))
        {
            EndSaga();
            return;
        }
        var done = () => PersistThen([new PoolWorkEndedEvent(network)], () => ReconcilePools(pending));
        if (!_state.Networks.TryGetValue(network, out var entry))
        {
            done();
            return;
        }
        _log.Info("tenant {0}: reconciling the pool of network {1}", _name, network);
        AskThen(PoolEnvelope(network), new ReconcilePool(entry.Config.Subnet!, entry.Config.Gateway, _state.PoolOwnersIn(network),
                _state.PoolAddressesIn(network), _state.PoolRangesIn(network)),
            reply =>
            {
                if (reply is PoolReconciled { Unrestored: { } lost })
                    _log.Error("tenant {0}: in network {1}, the addresses recorded for {2} were taken by others while the master was down; delete and recreate those objects",
                        _name, network, lost);
                done();
            },
            onError: error =>
            {
                _log.Warning("tenant {0}: pool {1} not reconciled: {2}", _name, network, error.Message);
                ReconcilePools(pending);
            });
    }

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
