using LogLevel = Akka.Event.LogLevel;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Entities.Sagas;
using Contiv.Master.Sharding;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using TenantStep = Contiv.Master.Entities.Sagas.SagaStep<Contiv.Master.Entities.Tenants.TenantSaga, Contiv.Messages.Tenancy.ITenantEvent>;

namespace Contiv.Master.Entities.Tenants;

/// <summary>
/// A tenant's plans that need another entity, pure: each is <c>Next(state, answer) → step</c>, the shell only
/// runs the steps. Every ask is idempotent per owner (<c>tenant:network</c>, <c>svc:</c>, <c>grp:</c>), and a
/// step whose outcome must survive a crash persists <see cref="PoolWorkStartedEvent"/> first, so a tenant
/// that dies between steps converges when <see cref="TenantReconcileSaga"/> runs on its next start.
/// </summary>
public abstract record TenantSaga
{
    /// <summary>The first step of a plan that needs another entity.</summary>
    public static TenantStep Start(TenantState state, TenantPlan plan) => plan switch
    {
        CreateTenantPlan create => TenantStep.Ask(new CreateTenantSaga(create.Config), SagaTarget.Global, EntityIds.Global, new RegisterTenant(state.Name)),
        DeleteTenantPlan delete => TenantStep.Ask(new DeleteTenantSaga(), SagaTarget.Global, EntityIds.Global,
            new UnregisterTenant(delete.Name), new TenantDeletedEvent(delete.Name)),
        CreateNetworkPlan create => CreateNetworkSaga.First(state, create.Config),
        DeleteNetworkPlan delete => TenantStep.Ask(new DeleteNetworkSaga(delete.Name), SagaTarget.Pool, PoolOwners.PoolId(state.Name, delete.Name),
            new ClosePool(), new PoolWorkStartedEvent(delete.Name)),
        CreateGroupWithPoolPlan or DeleteGroupWithPoolPlan or SaveServiceLbPlan or DeleteServiceLbPlan => PoolWorkSaga.First(state, plan),
        _ => TenantStep.Finish(new UnknownPlanSaga(), ApiError.Invalid($"unknown plan {plan.GetType().Name}")),
    };

    /// <summary>The next step, given the answer to the one the saga waited for.</summary>
    public abstract TenantStep Next(TenantState state, object answer);

    protected TenantStep Unexpected(TenantState state, object answer) =>
        TenantStep.Finish(this, ApiError.Unavailable($"tenant {state.Name}: unexpected answer {answer.GetType().Name} in {GetType().Name}"));

    /// <summary>The delete is durable; only global's clean-up did not answer, so it is reported as done and the log
    /// says what global still holds (<paramref name="leftInGlobal"/>).</summary>
    protected TenantStep DeletedDespite(TenantState state, string key, ApiError error, string leftInGlobal) =>
        TenantStep.Finish(this, new DeletedKey(key)).Noting(LogLevel.WarningLevel,
            $"tenant {state.Name}: {key} deleted, but global did not confirm the clean-up ({error.Message}); {leftInGlobal}");
}

/// <summary>Register the tenant with global (which numbers it), then persist it with its number.</summary>
public sealed record CreateTenantSaga(TenantConfig Config) : TenantSaga
{
    public override TenantStep Next(TenantState state, object answer) => answer switch
    {
        TenantRegistered registered => TenantStep.Finish(this, new RenderView(ObjectKind.Tenant, state.Name), new TenantCreatedEvent(Config, registered.Id)),
        ApiError error => TenantStep.Finish(this, error),
        _ => Unexpected(state, answer),
    };
}

/// <summary>Persist the deletion, then unregister the tenant from global.</summary>
public sealed record DeleteTenantSaga : TenantSaga
{
    public override TenantStep Next(TenantState state, object answer) => answer is ApiError error
        ? DeletedDespite(state, state.Name, error,
            "global keeps the tenant's number until a tenant of that name is created (it gets the same number) and deleted again")
        : TenantStep.Finish(this, new DeletedKey(state.Name));
}

/// <summary>
/// Take tags from global and open the pool at once (they are independent), persist the network when both
/// succeeded, otherwise give back whichever did and answer the refusal (<paramref name="Refusal"/>).
/// </summary>
public sealed record CreateNetworkSaga(NetworkConfig Config, ApiError? Refusal = null) : TenantSaga
{
    public static TenantStep First(TenantState state, NetworkConfig config) => TenantStep.AskAll(new CreateNetworkSaga(config),
    [
        new AskEntity(SagaTarget.Global, EntityIds.Global, new AllocateNetworkTags(config.Key, config.Encap!, config.PktTag)),
        new AskEntity(SagaTarget.Pool, PoolOwners.PoolId(state.Name, config.NetworkName!), new OpenPool(config.Subnet!, config.Gateway)),
    ]);

    public override TenantStep Next(TenantState state, object answer)
    {
        if (Refusal is not null) return TenantStep.Finish(this, Refusal);
        if (answer is not AllAnswered { Answers: [var tags, var pool] }) return Unexpected(state, answer);
        if (tags is NetworkTagsGranted granted && pool is not ApiError)
            return TenantStep.Finish(this, new RenderView(ObjectKind.Network, Config.Key), new NetworkCreatedEvent(Config, granted.Tags));
        var refusal = (ApiError)(tags as ApiError ?? pool);
        List<AskEntity> undo = [];
        if (tags is NetworkTagsGranted) undo.Add(new AskEntity(SagaTarget.Global, EntityIds.Global, new ReleaseNetworkTags(Config.Key)));
        if (pool is not ApiError) undo.Add(new AskEntity(SagaTarget.Pool, PoolOwners.PoolId(state.Name, Config.NetworkName!), new ClosePool()));
        return undo.Count == 0 ? TenantStep.Finish(this, refusal) : TenantStep.AskAll(this with { Refusal = refusal }, undo);
    }
}

/// <summary>Close the pool (refused while endpoints hold addresses), persist the deletion, then give the tags back.</summary>
public sealed record DeleteNetworkSaga(string Network, bool PoolClosed = false) : TenantSaga
{
    public override TenantStep Next(TenantState state, object answer) => (PoolClosed, answer) switch
    {
        (false, ApiError refused) => TenantStep.Finish(this, refused, new PoolWorkEndedEvent(Network)),
        (false, _) => TenantStep.Ask(this with { PoolClosed = true }, SagaTarget.Global, EntityIds.Global,
            new ReleaseNetworkTags(Key(state)), new NetworkDeletedEvent(Network)),
        (true, ApiError error) => DeletedDespite(state, Key(state), error, "the tenant's next start gives its tags back"),
        (true, _) => TenantStep.Finish(this, new DeletedKey(Key(state))),
    };

    private string Key(TenantState state) => $"{state.Name}:{Network}";
}

/// <summary>
/// One command to a network's pool for a group's ipPool or a service's VIP, bracketed by
/// <see cref="PoolWorkStartedEvent"/> so a crash leaves the pool marked for reconciliation; the object's
/// own event (or <see cref="PoolWorkEndedEvent"/> on refusal) clears the mark.
/// </summary>
public sealed record PoolWorkSaga(TenantPlan Plan, string Network) : TenantSaga
{
    public static TenantStep First(TenantState state, TenantPlan plan)
    {
        var (network, command) = plan switch
        {
            CreateGroupWithPoolPlan create => (create.Config.NetworkName!,
                (IPoolCommand)new ReserveRange(IpPoolState.GroupOwnerPrefix + create.Config.GroupName, create.Config.IpPool!)),
            DeleteGroupWithPoolPlan delete => (delete.Config.NetworkName!, new ReleaseRange(IpPoolState.GroupOwnerPrefix + delete.Config.GroupName)),
            SaveServiceLbPlan save => (save.Config.NetworkName!, new AllocateAddress(IpPoolState.ServiceOwnerPrefix + save.Config.ServiceName, save.Config.IpAddress)),
            DeleteServiceLbPlan delete => (delete.Entry.Config.NetworkName!, new ReleaseAddress(IpPoolState.ServiceOwnerPrefix + delete.Entry.Config.ServiceName)),
            _ => throw new ArgumentException($"{plan.GetType().Name} needs no pool work", nameof(plan)),
        };
        return TenantStep.Ask(new PoolWorkSaga(plan, network), SagaTarget.Pool, PoolOwners.PoolId(state.Name, network), command, new PoolWorkStartedEvent(network));
    }

    public override TenantStep Next(TenantState state, object answer) => (Plan, answer) switch
    {
        (_, ApiError refused) => TenantStep.Finish(this, refused, new PoolWorkEndedEvent(Network)),
        (CreateGroupWithPoolPlan create, _) => TenantStep.Finish(this, new RenderView(ObjectKind.EndpointGroup, create.Config.Key), new EndpointGroupSavedEvent(create.Config)),
        (DeleteGroupWithPoolPlan delete, _) => TenantStep.Finish(this, new DeletedKey(delete.Config.Key), new EndpointGroupDeletedEvent(delete.Config.GroupName!)),
        (SaveServiceLbPlan save, AddressGranted granted) => TenantStep.Finish(this, new RenderView(ObjectKind.ServiceLb, save.Config.Key),
            new ServiceLbSavedEvent(save.Config, granted.Address)),
        (DeleteServiceLbPlan delete, _) => TenantStep.Finish(this, new DeletedKey(delete.Entry.Config.Key), new ServiceLbDeletedEvent(delete.Entry.Config.ServiceName!)),
        _ => Unexpected(state, answer),
    };
}

/// <summary>A plan no saga knows: answered at once, never run.</summary>
public sealed record UnknownPlanSaga : TenantSaga
{
    public override TenantStep Next(TenantState state, object answer) => Unexpected(state, answer);
}
