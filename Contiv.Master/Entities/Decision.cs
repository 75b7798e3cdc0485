using System.Collections.Immutable;
using Contiv.Messages.Api;

namespace Contiv.Master.Entities;

/// <summary>
/// What a pure decide function concluded: the events to persist and the reply to send once they are
/// durable. A refusal has no events and an <see cref="ApiError"/> reply.
/// </summary>
public sealed record Decision<TEvent>(ImmutableArray<TEvent> Events, IEntityReply Reply)
{
    public static Decision<TEvent> Refuse(ApiError error) => new([], error);
    public static Decision<TEvent> Answer(IEntityReply reply) => new([], reply);
    public static Decision<TEvent> Persist(IEntityReply reply, params TEvent[] events) => new([.. events], reply);

    public bool Refused => Reply is ApiError;
}
