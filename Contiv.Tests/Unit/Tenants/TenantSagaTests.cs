using Contiv.Master.Entities;
using Contiv.Master.Entities.Global;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Entities.Sagas;
using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using Xunit;

namespace Contiv.Tests.Unit.Tenants;

/// <summary>
/// The tenant's sagas and its reconciliation against the real pure global and pool rules, with no actors.
/// A crash loses everything not in the tenant's journal, after any effect (an event batch persisted, or one
/// ask done at global or a pool whose answer never arrived); the restarted tenant runs its reconciliation
/// and must converge: global holds tags for exactly the tenant's networks, exactly their pools are open,
/// and each pool holds exactly the group ranges and service addresses the tenant records.
/// </summary>
[Trait("Category", "Saga")]
public sealed class TenantSagaTests
{
    private static readonly NetworkConfig Net1 = new()
    {
        TenantName = "t1", NetworkName = "net1", Encap = "vlan", PktTag = 100, Subnet = "10.1.0.0/24", Gateway = "10.1.0.1",
    };

    private static readonly EndpointGroupConfig PooledGroup = new()
    {
        TenantName = "t1", GroupName = "web", NetworkName = "net1", IpPool = "10.1.0.10-10.1.0.20",
    };

    private static readonly ServiceLbConfig Service = new()
    {
        TenantName = "t1", ServiceName = "svc1", NetworkName = "net1", Selectors = ["app=web"], IpAddress = "10.1.0.50",
    };

    [Fact]
    public void A_network_create_takes_tags_and_opens_the_pool_at_once_then_persists_the_network()
    {
        var world = World.WithTenant();
        var (reply, state) = world.Save(Net1);
        Assert.Equal(new RenderView(ObjectKind.Network, "t1:net1"), reply);
        Assert.Equal(["AllocateNetworkTags", "OpenPool"], world.Asked);
        Assert.Equal(100, state.Networks["net1"].Tags.PktTag);
        world.AssertConverged();
    }

    [Fact]
    public void A_network_create_global_refuses_closes_the_pool_it_opened_and_answers_globals_reason()
    {
        var world = World.WithTenant().WithTagHeldBy("t2:other", Net1);
        var (reply, state) = world.Save(Net1);
        Assert.Equal(ApiErrorKind.Conflict, Assert.IsType<ApiError>(reply).Kind);
        Assert.Equal(["AllocateNetworkTags", "OpenPool", "ClosePool"], world.Asked);
        Assert.Empty(state.Networks);
        world.AssertConverged();
    }

    [Fact]
    public void A_network_create_the_pool_refuses_gives_the_tags_back_and_answers_the_pools_reason()
    {
        var world = World.WithTenant().WithPoolInUse("t1:net1", "10.9.0.0/24");
        var (reply, state) = world.Save(Net1);
        Assert.Equal(ApiErrorKind.Conflict, Assert.IsType<ApiError>(reply).Kind);
        Assert.Equal(["AllocateNetworkTags", "OpenPool", "ReleaseNetworkTags"], world.Asked);
        Assert.Empty(state.Networks);
        Assert.Empty(world.TagOwnersOf("t1"));
    }

    [Fact]
    public void A_network_create_crashing_after_any_step_converges()
    {
        var effects = World.WithTenant().CountEffects(w => w.Save(Net1));
        Assert.Equal(3, effects); // allocate tags, open the pool, persist the network
        for (var crashAfter = 1; crashAfter <= effects; crashAfter++)
        {
            var world = World.WithTenant();
            Assert.Null(world.Save(Net1, crashAfter).Reply);
            var recovered = world.Restart();
            Assert.Equal(crashAfter == effects, recovered.Networks.ContainsKey("net1"));
            world.AssertConverged();
        }
    }

    [Fact]
    public void A_network_delete_closes_the_pool_persists_then_gives_the_tags_back()
    {
        var world = World.WithTenant();
        world.Save(Net1);
        world.Asked.Clear();
        var (reply, state) = world.Delete(ObjectKind.Network, "net1");
        Assert.Equal(new DeletedKey("t1:net1"), reply);
        Assert.Equal(["ClosePool", "ReleaseNetworkTags"], world.Asked);
        Assert.Empty(state.Networks);
        world.AssertConverged();
    }

    [Fact]
    public void A_network_delete_the_pool_refuses_keeps_the_network_and_clears_the_pool_mark()
    {
        var world = World.WithTenant();
        world.Save(Net1);
        world.HoldEndpointAddress("t1:net1", "ep:e1");
        var (reply, state) = world.Delete(ObjectKind.Network, "net1");
        Assert.Equal(ApiErrorKind.Conflict, Assert.IsType<ApiError>(reply).Kind);
        Assert.True(state.Networks.ContainsKey("net1"));
        Assert.Empty(state.PendingPoolWork);
    }

    [Fact]
    public void A_network_delete_whose_tag_release_went_unanswered_is_still_done_and_says_so()
    {
        var world = World.WithTenant();
        world.Save(Net1);
        world.Unreachable(SagaTarget.Global);
        var (reply, state) = world.Delete(ObjectKind.Network, "net1");
        Assert.Equal(new DeletedKey("t1:net1"), reply);
        Assert.Empty(state.Networks);
        Assert.Contains(world.Notes, n => n.Message.Contains("did not confirm the clean-up"));
        // Global still holds the tags: the next start gives them back.
        Assert.Equal(["t1:net1"], world.TagOwnersOf("t1"));
        world.Reachable(SagaTarget.Global);
        world.Restart();
        world.AssertConverged();
    }

    [Fact]
    public void A_network_delete_crashing_after_any_step_converges()
    {
        var counting = World.WithTenant();
        counting.Save(Net1);
        var effects = counting.CountEffects(w => w.Delete(ObjectKind.Network, "net1"));
        Assert.Equal(4, effects); // persist the pool mark, close the pool, persist the delete, release the tags
        for (var crashAfter = 1; crashAfter <= effects; crashAfter++)
        {
            var world = World.WithTenant();
            world.Save(Net1);
            Assert.Null(world.Delete(ObjectKind.Network, "net1", crashAfter).Reply);
            var recovered = world.Restart();
            // Before the delete was persisted the network stays, its pool reopened by the reconciliation.
            Assert.Equal(crashAfter < 3, recovered.Networks.ContainsKey("net1"));
            world.AssertConverged();
        }
    }

    [Fact]
    public void A_group_with_an_ip_pool_reserves_its_range_and_releases_it_when_deleted()
    {
        var world = World.WithTenant();
        world.Save(Net1);
        var (saved, state) = world.Save(PooledGroup);
        Assert.Equal(new RenderView(ObjectKind.EndpointGroup, "t1:web"), saved);
        Assert.True(state.Groups.ContainsKey("web"));
        world.AssertConverged();
        var (deleted, after) = world.Delete(ObjectKind.EndpointGroup, "web");
        Assert.Equal(new DeletedKey("t1:web"), deleted);
        Assert.Empty(after.Groups);
        world.AssertConverged();
    }

    [Fact]
    public void A_group_save_or_delete_crashing_after_any_step_converges()
    {
        for (var crashAfter = 1; crashAfter <= 2; crashAfter++)
        {
            var world = World.WithTenant();
            world.Save(Net1);
            Assert.Null(world.Save(PooledGroup, crashAfter).Reply);
            world.Restart();
            world.AssertConverged();
        }
        for (var crashAfter = 1; crashAfter <= 2; crashAfter++)
        {
            var world = World.WithTenant();
            world.Save(Net1);
            world.Save(PooledGroup);
            Assert.Null(world.Delete(ObjectKind.EndpointGroup, "web", crashAfter).Reply);
            world.Restart();
            world.AssertConverged();
        }
    }

    [Fact]
    public void A_service_takes_its_vip_from_the_pool_and_gives_it_back_when_deleted()
    {
        var world = World.WithTenant();
        world.Save(Net1);
        var (saved, state) = world.Save(Service);
        Assert.Equal(new RenderView(ObjectKind.ServiceLb, "t1:svc1"), saved);
        Assert.Equal("10.1.0.50", state.ServiceLbs["svc1"].Vip);
        world.AssertConverged();
        var (deleted, after) = world.Delete(ObjectKind.ServiceLb, "svc1");
        Assert.Equal(new DeletedKey("t1:svc1"), deleted);
        Assert.Empty(after.ServiceLbs);
        world.AssertConverged();
    }

    [Fact]
    public void A_service_save_or_delete_crashing_after_any_step_converges()
    {
        for (var crashAfter = 1; crashAfter <= 2; crashAfter++)
        {
            var world = World.WithTenant();
            world.Save(Net1);
            Assert.Null(world.Save(Service, crashAfter).Reply);
            world.Restart();
            world.AssertConverged();
        }
        for (var crashAfter = 1; crashAfter <= 2; crashAfter++)
        {
            var world = World.WithTenant();
            world.Save(Net1);
            world.Save(Service);
            Assert.Null(world.Delete(ObjectKind.ServiceLb, "svc1", crashAfter).Reply);
            world.Restart();
            world.AssertConverged();
        }
    }

    [Fact]
    public void A_tenant_create_is_numbered_by_global_and_a_delete_unregisters_it()
    {
        var world = World.Empty();
        var (created, state) = world.Save(new TenantConfig { TenantName = "t1" });
        Assert.Equal(new RenderView(ObjectKind.Tenant, "t1"), created);
        Assert.True(state.Exists);
        Assert.Equal(world.TenantIdInGlobal("t1"), state.Id);
        var (deleted, after) = world.Delete(ObjectKind.Tenant, "t1");
        Assert.Equal(new DeletedKey("t1"), deleted);
        Assert.False(after.Exists);
        Assert.Null(world.TenantIdInGlobal("t1"));
    }

    [Fact]
    public void A_tenant_older_than_numbering_learns_its_number_and_sends_its_networks_again()
    {
        var world = World.WithTenant(legacyId: true);
        world.Save(Net1);
        var recovered = world.Restart();
        Assert.Equal(world.TenantIdInGlobal("t1"), recovered.Id);
        Assert.NotEqual(0, recovered.Id);
        var numbered = Assert.Single(world.Journal.OfType<TenantNumberedEvent>());
        var before = world.Journal.TakeWhile(e => e is not TenantNumberedEvent).Aggregate(TenantState.Initial("t1"), (s, e) => s.Apply(e));
        var change = Assert.Single(TenantFeed.Changes(numbered, before, recovered));
        Assert.Equal(recovered.Id, Assert.IsType<NetworkView>(change.View).TenantId);
        // Numbered once: the next start asks nothing of the kind.
        world.Restart();
        Assert.Single(world.Journal.OfType<TenantNumberedEvent>());
    }

    [Fact]
    public void Reconciliation_gives_back_tags_and_pools_of_networks_the_tenant_never_finished()
    {
        var world = World.WithTenant().WithTagHeldBy("t1:half", Net1 with { NetworkName = "half" });
        world.OpenPool("t1:half", "10.7.0.0/24");
        world.Restart();
        Assert.Empty(world.TagOwnersOf("t1"));
        Assert.Contains(world.Notes, n => n.Message.Contains("unfinished network half"));
        world.AssertConverged();
    }

    [Fact]
    public void Reconciliation_that_cannot_reach_a_pool_keeps_it_marked_for_the_next_start()
    {
        var world = World.WithTenant();
        world.Save(Net1);
        Assert.Null(world.Save(PooledGroup, crashAfter: 1).Reply); // the pool mark is persisted, nothing more
        world.Unreachable(SagaTarget.Pool);
        var recovered = world.Restart();
        Assert.Equal(["net1"], recovered.PendingPoolWork);
        Assert.Contains(world.Notes, n => n.Message.Contains("not reconciled"));
        world.Reachable(SagaTarget.Pool);
        world.Restart();
        world.AssertConverged();
    }

    [Fact]
    public void An_unexpected_answer_ends_the_saga_with_an_error_naming_it()
    {
        var state = new[] { (ITenantEvent)new TenantCreatedEvent(new TenantConfig { TenantName = "t1" }, 2) }
            .Aggregate(TenantState.Initial("t1"), (s, e) => s.Apply(e));
        var step = TenantSaga.Start(state, new DeleteNetworkPlan("net1"));
        var next = step.Saga.Next(state, new TagOwners([]));
        Assert.Equal(new DeleteNetworkSaga("net1", PoolClosed: true), next.Saga); // any answer but a refusal means closed
        var odd = TenantSaga.Start(state, new CreateTenantPlan(new TenantConfig { TenantName = "t1" })).Saga.Next(state, new PoolClosed());
        var finish = Assert.IsType<FinishSaga>(odd.Action);
        Assert.Contains("CreateTenantSaga", Assert.IsType<ApiError>(finish.Reply).Message);
        Assert.Empty(odd.Events);
    }

    /// <summary>Global and the pools as pure states, the tenant's journal, the asks made and the notes logged.</summary>
    private sealed class World
    {
        private GlobalState _global = GlobalState.Initial("bridge");
        private readonly Dictionary<string, IpPoolState> _pools = [];
        private readonly HashSet<SagaTarget> _unreachable = [];
        private int _effects;

        public List<ITenantEvent> Journal { get; } = [];
        public List<string> Asked { get; } = [];
        public List<SagaNote> Notes { get; } = [];

        public static World Empty() => new();

        /// <summary>Tenant t1, registered with global; <paramref name="legacyId"/>: written before tenants had numbers.</summary>
        public static World WithTenant(bool legacyId = false)
        {
            var world = new World();
            world._global = world.Decide(world._global.DecideRegisterTenant("t1"), out var registered);
            world.Journal.Add(new TenantCreatedEvent(new TenantConfig { TenantName = "t1" }, legacyId ? 0 : ((TenantRegistered)registered).Id));
            return world;
        }

        public World WithTagHeldBy(string owner, NetworkConfig like)
        {
            _global = Decide(_global.DecideAllocate(new AllocateNetworkTags(owner, like.Encap!, like.PktTag)), out _);
            return this;
        }

        public World WithPoolInUse(string pool, string subnet)
        {
            OpenPool(pool, subnet);
            HoldEndpointAddress(pool, "ep:stale");
            return this;
        }

        public void OpenPool(string pool, string subnet) => OnPool(pool, new OpenPool(subnet, null));

        public void HoldEndpointAddress(string pool, string owner) => OnPool(pool, new AllocateAddress(owner));

        public void Unreachable(SagaTarget target) => _unreachable.Add(target);

        public void Reachable(SagaTarget target) => _unreachable.Remove(target);

        public IEnumerable<string> TagOwnersOf(string tenant) => _global.TagsOf.Keys.Where(o => o.StartsWith(tenant + ":", StringComparison.Ordinal));

        public int? TenantIdInGlobal(string tenant) => _global.Tenants.TryGetValue(tenant, out var id) ? id : null;

        public (object? Reply, TenantState State) Save(IConfigObject config, int crashAfter = int.MaxValue) =>
            Command(TenantRules.PlanSave(Recovered(), config), crashAfter);

        public (object? Reply, TenantState State) Delete(ObjectKind kind, string name, int crashAfter = int.MaxValue) =>
            Command(TenantRules.PlanDelete(Recovered(), kind, name), crashAfter);

        public int CountEffects(Func<World, (object?, TenantState)> run)
        {
            _effects = 0;
            run(this);
            return _effects;
        }

        /// <summary>The tenant starts again from its journal and reconciles, without further crashes.</summary>
        public TenantState Restart()
        {
            var state = Recovered();
            Run(TenantReconcileSaga.Start(state), int.MaxValue, ref state, out var reply);
            Assert.IsType<TenantReconciled>(reply);
            return Recovered();
        }

        public void AssertConverged()
        {
            var state = Recovered();
            Assert.Empty(state.PendingPoolWork);
            Assert.Equal(state.Networks.Keys.Select(n => "t1:" + n), TagOwnersOf("t1").Order());
            foreach (var (id, pool) in _pools.Where(p => p.Key.StartsWith("t1:", StringComparison.Ordinal)))
            {
                var network = id["t1:".Length..];
                Assert.True(pool.IsOpen == state.Networks.ContainsKey(network), $"pool {id} open: {pool.IsOpen}");
                if (!pool.IsOpen) continue;
                Assert.Equal(state.PoolRangesIn(network).Select(r => r.Owner).Order(), pool.Ranges.Keys.Order());
                Assert.Equal(state.PoolAddressesIn(network).Select(h => (h.Owner, h.Address)).Order(),
                    pool.AddressOf.Where(a => a.Key.StartsWith(IpPoolState.ServiceOwnerPrefix, StringComparison.Ordinal))
                        .Select(a => (a.Key, Messages.Addressing.Ipv4.Format(a.Value))).Order());
            }
            foreach (var network in state.Networks.Keys) Assert.True(_pools.TryGetValue("t1:" + network, out var pool) && pool.IsOpen, $"pool of {network} not open");
        }

        private TenantState Recovered() => Journal.Aggregate(TenantState.Initial("t1"), (s, e) => s.Apply(e));

        private (object? Reply, TenantState State) Command(TenantPlan plan, int crashAfter)
        {
            _effects = 0; // crashAfter counts this command's effects only
            var state = Recovered();
            // As the shell does: an immediate plan persists and answers; anything else runs its saga.
            if (plan is ImmediatePlan immediate)
                return Persist(immediate.Decision.Events, crashAfter, ref state) ? (immediate.Decision.Reply, state) : (null, state);
            return Run(TenantSaga.Start(state, plan), crashAfter, ref state, out var reply) ? (reply, state) : (null, state);
        }

        /// <summary>Runs the saga to its end; false when it crashed after <paramref name="crashAfter"/> effects.</summary>
        private bool Run(SagaStep<TenantSaga, ITenantEvent> step, int crashAfter, ref TenantState state, out object? reply)
        {
            reply = null;
            while (true)
            {
                if (!Persist(step.Events, crashAfter, ref state)) return false;
                Notes.AddRange(step.Notes);
                switch (step.Action)
                {
                    case FinishSaga finish:
                        reply = finish.Reply;
                        return true;
                    case AskEntity ask:
                        var answer = Answer(ask);
                        if (++_effects >= crashAfter) return false;
                        step = step.Saga.Next(state, answer);
                        break;
                    case AskEntities all:
                        var answers = new List<object>();
                        foreach (var each in all.Asks)
                        {
                            answers.Add(Answer(each));
                            if (++_effects >= crashAfter) return false;
                        }
                        step = step.Saga.Next(state, new AllAnswered([.. answers]));
                        break;
                }
            }
        }

        private bool Persist(System.Collections.Immutable.ImmutableArray<ITenantEvent> events, int crashAfter, ref TenantState state)
        {
            if (events.IsEmpty) return true;
            Journal.AddRange(events);
            state = events.Aggregate(state, (s, e) => s.Apply(e));
            return ++_effects < crashAfter;
        }

        private object Answer(AskEntity ask)
        {
            Asked.Add(ask.Message.GetType().Name);
            if (_unreachable.Contains(ask.Target)) return ApiError.Unavailable($"{ask.Message.GetType().Name} did not complete");
            return ask.Target switch
            {
                SagaTarget.Global => OnGlobal(ask.Message),
                SagaTarget.Pool => OnPool(ask.EntityId, (IPoolCommand)ask.Message),
                _ => throw new InvalidOperationException($"a tenant saga asked {ask.Target}"),
            };
        }

        private object OnGlobal(object message)
        {
            if (message is ListTagOwners list) return new TagOwners([.. _global.TagsOf.Keys.Where(o => o.StartsWith(list.Prefix, StringComparison.Ordinal))]);
            var decision = message switch
            {
                AllocateNetworkTags allocate => _global.DecideAllocate(allocate),
                ReleaseNetworkTags release => _global.DecideRelease(release.Owner),
                RegisterTenant register => _global.DecideRegisterTenant(register.Name),
                UnregisterTenant unregister => _global.DecideUnregisterTenant(unregister.Name),
                _ => throw new InvalidOperationException($"unexpected global step {message.GetType().Name}"),
            };
            _global = Decide(decision, out var reply);
            return reply;
        }

        private object OnPool(string id, IPoolCommand command)
        {
            var pool = _pools.GetValueOrDefault(id) ?? IpPoolState.Closed(id);
            var decision = pool.Decide(command);
            _pools[id] = decision.Events.Aggregate(pool, (s, e) => s.Apply(e));
            return decision.Reply;
        }

        private GlobalState Decide(Decision<IGlobalEvent> decision, out object reply)
        {
            reply = decision.Reply;
            return decision.Events.Aggregate(_global, (s, e) => s.Apply(e));
        }
    }
}
