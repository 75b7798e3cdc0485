using System.Collections.Immutable;
using Contiv.Master.Entities.Endpoints;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Entities.Sagas;
using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using Xunit;

namespace Contiv.Tests.Unit.Endpoints;

/// <summary>
/// The endpoint sagas against the real pure tenant and pool rules, with no actors: each step's ask is
/// answered by deciding it on the tenant or pool state. A crash is the loss of everything not in the
/// endpoint's journal, after any effect (an event persisted, or an ask done at the other entity whose
/// answer never arrived); the restarted entity resumes from its recovered phase and must converge.
/// </summary>
[Trait("Category", "Saga")]
public sealed class EndpointSagaTests
{
    private const string Id = "ep1";
    private static readonly EndpointSpec Spec = new("t1", "net1", "web", "c1", "host1");

    [Fact]
    public void A_create_registers_takes_an_address_records_it_and_answers_ready()
    {
        var world = World.WithNetwork();
        var (reply, state) = world.Create(Spec);
        var ready = Assert.IsType<EndpointReady>(reply);
        Assert.Equal(EndpointPhase.Ready, state.Phase);
        Assert.Equal("10.1.0.2", ready.Endpoint.IpAddress);
        Assert.Equal(["RegisterEndpoint", "AllocateAddress", "RecordEndpoint"], world.Asked);
        world.AssertHeldExactlyBy(state);
    }

    [Fact]
    public void A_create_the_tenant_refuses_holds_nothing_and_frees_the_entity()
    {
        var world = World.WithNetwork();
        var (reply, state) = world.Create(Spec with { Group = "nosuchgroup" });
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<ApiError>(reply).Kind);
        Assert.Equal(EndpointPhase.Absent, state.Phase);
        Assert.Equal(["RegisterEndpoint"], world.Asked);
        world.AssertNothingHeld();
    }

    [Fact]
    public void A_create_whose_register_went_unanswered_undoes_what_the_tenant_may_have_done()
    {
        var world = World.WithNetwork();
        world.LoseAnswerOf("RegisterEndpoint");
        var (reply, state) = world.Create(Spec);
        Assert.Equal(ApiErrorKind.Unavailable, Assert.IsType<ApiError>(reply).Kind);
        Assert.Equal(EndpointPhase.Absent, state.Phase);
        Assert.Equal(["RegisterEndpoint", "ReleaseAddress", "UnregisterEndpoint"], world.Asked);
        world.AssertNothingHeld();
    }

    [Fact]
    public void A_create_the_pool_refuses_is_undone_and_answered_with_the_pools_reason()
    {
        var world = World.WithNetwork();
        var (reply, state) = world.Create(Spec with { PreferredIp = "10.1.0.1" }); // the gateway
        var error = Assert.IsType<ApiError>(reply);
        Assert.Equal(ApiErrorKind.Conflict, error.Kind);
        Assert.Equal(EndpointPhase.Absent, state.Phase);
        Assert.Equal(["RegisterEndpoint", "AllocateAddress", "ReleaseAddress", "UnregisterEndpoint"], world.Asked);
        world.AssertNothingHeld();
    }

    [Fact]
    public void A_delete_frees_the_address_unregisters_and_says_which_address_it_freed()
    {
        var world = World.WithNetwork();
        world.Create(Spec);
        var (reply, state) = world.Remove();
        Assert.Equal(new EndpointRemoved(Id, "10.1.0.2"), reply);
        Assert.Equal(EndpointPhase.Absent, state.Phase);
        world.AssertNothingHeld();
    }

    [Fact]
    public void A_delete_whose_step_failed_keeps_its_phase_and_the_next_request_finishes_it()
    {
        var world = World.WithNetwork();
        world.Create(Spec);
        world.LoseAnswerOf("UnregisterEndpoint");
        var (reply, state) = world.Remove();
        Assert.Equal(ApiErrorKind.Unavailable, Assert.IsType<ApiError>(reply).Kind);
        Assert.Equal(EndpointPhase.Removing, state.Phase);
        var (again, done) = world.Remove();
        Assert.IsType<EndpointRemoved>(again);
        Assert.Equal(EndpointPhase.Absent, done.Phase);
        world.AssertNothingHeld();
    }

    [Fact]
    public void A_create_crashing_after_any_step_converges_to_one_endpoint_with_one_address()
    {
        var effects = World.WithNetwork().CountEffectsOfCreate(Spec);
        Assert.Equal(5, effects); // persist the phase, register, allocate, record, persist the address
        for (var crashAfter = 1; crashAfter <= effects; crashAfter++)
        {
            var world = World.WithNetwork();
            var crashed = world.Create(Spec, crashAfter);
            Assert.Null(crashed.Reply);
            var recovered = world.Restart();
            Assert.Equal(EndpointPhase.Ready, recovered.Phase);
            world.AssertHeldExactlyBy(recovered);
        }
    }

    [Fact]
    public void A_delete_crashing_after_any_step_converges_to_nothing_held()
    {
        var effects = World.WithNetwork().CountEffectsOfRemove(Spec);
        Assert.Equal(4, effects); // persist the phase, release, unregister, persist the end
        for (var crashAfter = 1; crashAfter <= effects; crashAfter++)
        {
            var world = World.WithNetwork();
            world.Create(Spec);
            var crashed = world.Remove(crashAfter);
            Assert.Null(crashed.Reply);
            var recovered = world.Restart();
            Assert.Equal(EndpointPhase.Absent, recovered.Phase);
            world.AssertNothingHeld();
        }
    }

    [Fact]
    public void An_undone_create_crashing_after_any_step_converges_to_nothing_held()
    {
        var refused = Spec with { PreferredIp = "10.1.0.1" };
        var effects = World.WithNetwork().CountEffectsOfCreate(refused);
        for (var crashAfter = 1; crashAfter <= effects; crashAfter++)
        {
            var world = World.WithNetwork();
            world.Create(refused, crashAfter);
            var recovered = world.Restart();
            // Crashed before the address was refused, the resumed create succeeds with a free one; after, the undo finishes.
            if (recovered.Phase == EndpointPhase.Ready) world.AssertHeldExactlyBy(recovered);
            else
            {
                Assert.Equal(EndpointPhase.Absent, recovered.Phase);
                world.AssertNothingHeld();
            }
        }
    }

    [Fact]
    public void An_undo_once_begun_is_finished_after_a_crash_never_turned_back_into_a_create()
    {
        // The runtime was about to hear "failed": an endpoint left behind would hold an address nobody uses.
        const int undoPersisted = 3; // persist the phase, register (answer lost), persist the undo
        for (var crashAfter = undoPersisted; crashAfter <= 6; crashAfter++)
        {
            var world = World.WithNetwork();
            world.LoseAnswerOf("RegisterEndpoint");
            Assert.Null(world.Create(Spec, crashAfter).Reply);
            Assert.Equal(EndpointPhase.Absent, world.Restart().Phase);
            world.AssertNothingHeld();
        }
    }

    [Fact]
    public void An_unexpected_answer_ends_the_saga_with_an_error_naming_the_step()
    {
        var state = new EndpointState(Id).Apply(new EndpointRequestedEvent(Id, Spec));
        var step = EndpointSaga.Resume(state)!;
        var next = step.Saga.Next(state, new PoolReady("10.1.0.0/16"));
        var finish = Assert.IsType<FinishSaga>(next.Action);
        Assert.Contains("Register", Assert.IsType<ApiError>(finish.Reply).Message);
        Assert.Empty(next.Events);
    }

    /// <summary>The tenant and pool as pure states, the endpoint's journal, and the asks made.</summary>
    private sealed class World
    {
        private TenantState _tenant;
        private IpPoolState _pool;
        private readonly List<IEndpointEvent> _journal = [];
        private readonly HashSet<string> _lostAnswers = [];
        public List<string> Asked { get; } = [];

        private World(TenantState tenant, IpPoolState pool)
        {
            _tenant = tenant;
            _pool = pool;
        }

        public static World WithNetwork()
        {
            var network = new NetworkConfig { TenantName = "t1", NetworkName = "net1", Encap = "vlan", Subnet = "10.1.0.0/24", Gateway = "10.1.0.1" };
            var tenant = new ITenantEvent[]
            {
                new TenantCreatedEvent(new TenantConfig { TenantName = "t1" }, 2),
                new NetworkCreatedEvent(network, new NetworkTags("vlan", 1, 0)),
                new EndpointGroupSavedEvent(new EndpointGroupConfig { TenantName = "t1", GroupName = "web", NetworkName = "net1" }),
            }.Aggregate(TenantState.Initial("t1"), (s, e) => s.Apply(e));
            var opened = IpPoolState.Closed("t1:net1").Decide(new OpenPool("10.1.0.0/24", "10.1.0.1"));
            return new World(tenant, opened.Events.Aggregate(IpPoolState.Closed("t1:net1"), (s, e) => s.Apply(e)));
        }

        public void LoseAnswerOf(string ask) => _lostAnswers.Add(ask);

        public (object? Reply, EndpointState State) Create(EndpointSpec spec, int crashAfter = int.MaxValue) =>
            Command(Recovered().DecideCreate(spec), crashAfter);

        public (object? Reply, EndpointState State) Remove(int crashAfter = int.MaxValue) =>
            Command(Recovered().DecideRemove(), crashAfter);

        public int CountEffectsOfCreate(EndpointSpec spec) => CountEffects(w => w.Create(spec, int.MaxValue));

        public int CountEffectsOfRemove(EndpointSpec spec)
        {
            Create(spec);
            return CountEffects(w => w.Remove());
        }

        /// <summary>The entity starts again from its journal and resumes the saga its phase names, without further crashes.</summary>
        public EndpointState Restart()
        {
            var state = Recovered();
            if (EndpointSaga.Resume(state) is { } first) Run(first, int.MaxValue, ref state, out _);
            return Recovered();
        }

        public void AssertHeldExactlyBy(EndpointState state)
        {
            var owner = EndpointSaga.Owner(state);
            Assert.True(_pool.AddressOf.TryGetValue(owner, out var held), $"{owner} holds no address");
            Assert.Equal(state.Info!.IpAddress, Messages.Addressing.Ipv4.Format(held));
            Assert.Equal(1, _pool.EndpointCount);
            var registered = Assert.Single(_tenant.Endpoints.Values);
            Assert.Equal(state.Info, registered.Info);
        }

        public void AssertNothingHeld()
        {
            Assert.Equal(0, _pool.EndpointCount);
            Assert.Empty(_tenant.Endpoints);
        }

        private int _effects;

        private int CountEffects(Func<World, (object?, EndpointState)> run)
        {
            _effects = 0;
            run(this);
            return _effects;
        }

        private EndpointState Recovered() => _journal.Aggregate(new EndpointState(Id), (s, e) => s.Apply(e));

        private (object? Reply, EndpointState State) Command(Master.Entities.Decision<IEndpointEvent> decision, int crashAfter)
        {
            _effects = 0; // crashAfter counts this command's effects only
            var state = Recovered();
            // As the shell does: an answer needs no saga; a saga's decision persists the phase, then runs its saga.
            if (decision.Reply is not SagaAnswers) return (decision.Reply, state);
            if (!Persist(decision.Events, crashAfter, ref state)) return (null, state);
            if (EndpointSaga.Resume(state) is not { } first) return (decision.Reply, state);
            return Run(first, crashAfter, ref state, out var reply) ? (reply, state) : (null, state);
        }

        /// <summary>Runs the saga to its end; false when it crashed after <paramref name="crashAfter"/> effects.</summary>
        private bool Run(SagaStep<EndpointSaga, IEndpointEvent> step, int crashAfter, ref EndpointState state, out object? reply)
        {
            reply = null;
            while (true)
            {
                if (!Persist(step.Events, crashAfter, ref state)) return false;
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
                }
            }
        }

        private bool Persist(ImmutableArray<IEndpointEvent> events, int crashAfter, ref EndpointState state)
        {
            if (events.IsEmpty) return true;
            _journal.AddRange(events);
            state = events.Aggregate(state, (s, e) => s.Apply(e));
            return ++_effects < crashAfter;
        }

        private object Answer(AskEntity ask)
        {
            var name = ask.Message.GetType().Name;
            Asked.Add(name);
            var answer = ask.Target switch
            {
                SagaTarget.Tenant => OnTenant(ask.Message),
                SagaTarget.Pool => OnPool((IPoolCommand)ask.Message),
                _ => throw new InvalidOperationException($"an endpoint saga asked {ask.Target}"),
            };
            // The step took effect; only its answer is lost, once.
            return _lostAnswers.Remove(name) ? ApiError.Unavailable($"{name} did not complete") : answer;
        }

        private object OnTenant(object message)
        {
            var decision = message switch
            {
                RegisterEndpoint register => TenantEndpointRules.DecideRegister(_tenant, register.EndpointId, register.Spec),
                RecordEndpoint record => TenantEndpointRules.DecideRecord(_tenant, record.Endpoint),
                UnregisterEndpoint unregister => TenantEndpointRules.DecideUnregister(_tenant, unregister.EndpointId),
                _ => throw new InvalidOperationException($"unexpected tenant step {message.GetType().Name}"),
            };
            _tenant = decision.Events.Aggregate(_tenant, (s, e) => s.Apply(e));
            return decision.Reply;
        }

        private object OnPool(IPoolCommand command)
        {
            var decision = _pool.Decide(command);
            _pool = decision.Events.Aggregate(_pool, (s, e) => s.Apply(e));
            return decision.Reply;
        }
    }
}
