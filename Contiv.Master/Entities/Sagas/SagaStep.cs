using System.Collections.Immutable;
using Contiv.Messages.Api;
using LogLevel = Akka.Event.LogLevel;

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

/// <summary>Ask several entities at once; the next step's input is <see cref="AllAnswered"/>, the answers in the order asked.</summary>
public sealed record AskEntities(ImmutableArray<AskEntity> Asks) : SagaAction;

/// <summary>The saga is over: answer whoever started it with <paramref name="Reply"/> (nobody when a restart resumed it).</summary>
public sealed record FinishSaga(IEntityReply Reply) : SagaAction;

/// <summary>
/// A decision's reply when it answers nothing yet: its events put the entity in a phase whose saga runs,
/// and the saga's <see cref="FinishSaga"/> is the answer.
/// </summary>
public sealed record SagaAnswers : IEntityReply
{
    public static SagaAnswers Later { get; } = new();
}

/// <summary>The answers to an <see cref="AskEntities"/>, in the order asked.</summary>
public sealed record AllAnswered(ImmutableArray<object> Answers);

/// <summary>What the shell logs for a step: a saga decides what is worth an operator's attention, the shell only writes it.</summary>
public sealed record SagaNote(LogLevel Level, string Message);

/// <summary>
/// One step of a saga: the events to persist first (the shell runs <see cref="Action"/> only once they are
/// durable, so a crash never leaves an action done whose premise is lost), then the action.
/// </summary>
public sealed record SagaStep<TSaga, TEvent>(TSaga Saga, ImmutableArray<TEvent> Events, SagaAction Action)
{
    public ImmutableArray<SagaNote> Notes { get; init; } = [];

    public static SagaStep<TSaga, TEvent> Ask(TSaga saga, SagaTarget target, string entityId, object message, params TEvent[] events) =>
        new(saga, [.. events], new AskEntity(target, entityId, message));

    public static SagaStep<TSaga, TEvent> AskAll(TSaga saga, IEnumerable<AskEntity> asks, params TEvent[] events) =>
        new(saga, [.. events], new AskEntities([.. asks]));

    public static SagaStep<TSaga, TEvent> Finish(TSaga saga, IEntityReply reply, params TEvent[] events) =>
        new(saga, [.. events], new FinishSaga(reply));

    /// <summary>This step, with <paramref name="earlier"/> persisted before its own events.</summary>
    public SagaStep<TSaga, TEvent> After(IEnumerable<TEvent> earlier) => this with { Events = [.. earlier, .. Events] };

    public SagaStep<TSaga, TEvent> Noting(LogLevel level, string message) => this with { Notes = Notes.Add(new SagaNote(level, message)) };
}
