using Akka.Actor;
using Contiv.Messages.Api;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Entities.Sagas;

/// <summary>The shard regions a saga's asks go to, and the one way an ask becomes a step's input.</summary>
public sealed record SagaRegions(IActorRef Global, IActorRef Tenants, IActorRef Pools)
{
    public IActorRef For(SagaTarget target) => target switch
    {
        SagaTarget.Global => Global,
        SagaTarget.Tenant => Tenants,
        _ => Pools,
    };

    /// <summary>The entity's answer, or an Unavailable error naming <paramref name="asker"/> when none came in time:
    /// a saga judges a missing answer like any other failed step.</summary>
    public Task<object> Ask(AskEntity ask, TimeSpan timeout, string asker) =>
        For(ask.Target).Ask<object>(new ShardEnvelope(ask.EntityId, ask.Message), timeout).ContinueWith(task => task.IsCompletedSuccessfully
            ? task.Result
            : ApiError.Unavailable($"{asker}: {ask.Message.GetType().Name} did not complete: {task.Exception?.GetBaseException().Message ?? "cancelled"}"));
}
