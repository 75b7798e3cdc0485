using System.Collections.Immutable;

namespace Contiv.Master.Entities.Sagas;

/// <summary>The entities a saga step can ask, each behind its own shard region.</summary>
public enum SagaTarget
{
    Global,
    Tenant,
    Pool,
}

/// <summary>What a saga's shell does next. A saga is pure: it only names the action; the entity actor runs it.</summary>
public abstract record SagaAction;

/// <summary>Ask one entity; its answer (or an Unavailable <see cref="Messages.Api.ApiError"/> when none came in time) is the next step's input.</summary>
public sealed record AskEntity(SagaTarget Target, string EntityId, object Message) : SagaAction;

/// <summary>The saga is over: answer whoever started it with <paramref name="Reply"/> (nobody when a restart resumed it).</summary>
public sealed record FinishSaga(object Reply) : SagaAction;

/// <summary>
/// One step of a saga: the events to persist first (the shell runs <see cref="Action"/> only once they are
/// durable, so a crash never leaves an action done whose premise is lost), then the action.
/// </summary>
public sealed record SagaStep<TSaga, TEvent>(TSaga Saga, ImmutableArray<TEvent> Events, SagaAction Action)
{
    public static SagaStep<TSaga, TEvent> Ask(TSaga saga, SagaTarget target, string entityId, object message, params TEvent[] events) =>
        new(saga, [.. events], new AskEntity(target, entityId, message));

    public static SagaStep<TSaga, TEvent> Finish(TSaga saga, object reply, params TEvent[] events) =>
        new(saga, [.. events], new FinishSaga(reply));
}
