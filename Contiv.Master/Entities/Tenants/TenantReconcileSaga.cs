using System.Collections.Immutable;
using LogLevel = Akka.Event.LogLevel;
using Contiv.Master.Entities.Sagas;
using Contiv.Master.Sharding;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Pools;
using Contiv.Messages.Tenancy;
using TenantStep = Contiv.Master.Entities.Sagas.SagaStep<Contiv.Master.Entities.Tenants.TenantSaga, Contiv.Messages.Tenancy.ITenantEvent>;

namespace Contiv.Master.Entities.Tenants;

public enum ReconcileStep
{
    Number,
    ListTagOwners,
    ReleaseUnfinished,
    ReconcilePool,
}

/// <summary>
/// What a recovered tenant does before it takes requests: makes the other entities agree with it. A tenant
/// older than numbering learns its number; tags global holds for networks the tenant does not have (a create
/// that died half-way, or a delete that died before giving them back) are released with their pools; every
/// pool the tenant was working on when it died is re-synchronised with what the tenant records.
/// A failed step is logged and skipped: the next start tries again, and requests are not held hostage.
/// </summary>
/// <param name="PoolsLeft">the networks whose pools are still to reconcile, the first one being asked</param>
public sealed record TenantReconcileSaga(ReconcileStep Waiting, ImmutableArray<string> PoolsLeft) : TenantSaga
{
    public static TenantStep Start(TenantState state) => state is { Exists: true, Id: 0 }
        ? TenantStep.Ask(new TenantReconcileSaga(ReconcileStep.Number, []), SagaTarget.Global, EntityIds.Global, new RegisterTenant(state.Name))
        : ListTagOwners(state);

    public override TenantStep Next(TenantState state, object answer) => (Waiting, answer) switch
    {
        (ReconcileStep.Number, TenantRegistered registered) => ListTagOwners(state).After([new TenantNumberedEvent(registered.Id)]),
        (ReconcileStep.Number, _) => ListTagOwners(state),
        (ReconcileStep.ListTagOwners, TagOwners owners) => ReleaseUnfinished(state, owners),
        (ReconcileStep.ListTagOwners, ApiError error) => FirstPool(state)
            .Noting(LogLevel.WarningLevel, $"tenant {state.Name}: could not list tags to reconcile: {error.Message}"),
        (ReconcileStep.ReleaseUnfinished, _) => FirstPool(state),
        (ReconcileStep.ReconcilePool, PoolReconciled reconciled) => PoolReconciled(state, reconciled),
        // The network stays marked: the next start tries again.
        (ReconcileStep.ReconcilePool, ApiError error) => NextPool(state, PoolsLeft.RemoveAt(0), [])
            .Noting(LogLevel.WarningLevel, $"tenant {state.Name}: pool {PoolsLeft[0]} not reconciled: {error.Message}"),
        _ => Unexpected(state, answer),
    };

    private TenantStep PoolReconciled(TenantState state, PoolReconciled reconciled)
    {
        var network = PoolsLeft[0];
        var next = NextPool(state, PoolsLeft.RemoveAt(0), [new PoolWorkEndedEvent(network)]);
        if (reconciled.Unrestored is not { } lost) return next;
        var note = new SagaNote(LogLevel.ErrorLevel,
            $"tenant {state.Name}: in network {network}, the addresses recorded for {lost} were taken by others while the master was down; delete and recreate those objects");
        return next with { Notes = next.Notes.Insert(0, note) };
    }

    private static TenantStep ListTagOwners(TenantState state) =>
        TenantStep.Ask(new TenantReconcileSaga(ReconcileStep.ListTagOwners, []), SagaTarget.Global, EntityIds.Global, new ListTagOwners(state.Name + ":"));

    private static TenantStep ReleaseUnfinished(TenantState state, TagOwners owners)
    {
        var unfinished = owners.Owners.Select(owner => owner[(state.Name.Length + 1)..]).Where(network => !state.Networks.ContainsKey(network)).ToList();
        if (unfinished.Count == 0) return FirstPool(state);
        var step = TenantStep.AskAll(new TenantReconcileSaga(ReconcileStep.ReleaseUnfinished, []), unfinished.SelectMany(network => new[]
        {
            new AskEntity(SagaTarget.Pool, PoolOwners.PoolId(state.Name, network), new ClosePool()),
            new AskEntity(SagaTarget.Global, EntityIds.Global, new ReleaseNetworkTags($"{state.Name}:{network}")),
        }));
        return unfinished.Aggregate(step, (s, network) =>
            s.Noting(LogLevel.InfoLevel, $"tenant {state.Name}: releasing tags and pool of unfinished network {network}"));
    }

    private static TenantStep FirstPool(TenantState state) => NextPool(state, [.. state.PendingPoolWork], []);

    /// <summary>Asks the next pending network's pool; a network that no longer exists only has its mark cleared.</summary>
    private static TenantStep NextPool(TenantState state, ImmutableArray<string> pending, ImmutableArray<ITenantEvent> cleared)
    {
        while (!pending.IsEmpty && !state.Networks.ContainsKey(pending[0]))
        {
            cleared = cleared.Add(new PoolWorkEndedEvent(pending[0]));
            pending = pending.RemoveAt(0);
        }
        if (pending.IsEmpty) return TenantStep.Finish(new TenantReconcileSaga(ReconcileStep.ReconcilePool, []), new TenantReconciled(state.Name), [.. cleared]);
        var network = pending[0];
        var entry = state.Networks[network];
        return TenantStep.Ask(new TenantReconcileSaga(ReconcileStep.ReconcilePool, pending), SagaTarget.Pool, PoolOwners.PoolId(state.Name, network),
                new ReconcilePool(entry.Config.Subnet!, entry.Config.Gateway, state.PoolOwnersIn(network), state.PoolAddressesIn(network), state.PoolRangesIn(network)),
                [.. cleared])
            .Noting(LogLevel.InfoLevel, $"tenant {state.Name}: reconciling the pool of network {network}");
    }
}

/// <summary>The end of a reconciliation; nobody waits for it.</summary>
public sealed record TenantReconciled(string Tenant) : IEntityReply;
