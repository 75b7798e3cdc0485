using Akka.Actor;
using Contiv.Messages.Api;

namespace Contiv.Master.Entities;

/// <summary>
/// Who an entity will answer once a journal write is durable. When a write fails, Akka.Persistence stops the
/// entity; everyone still waiting then gets a 503 with the journal's reason at once, instead of waiting for
/// their request to time out.
/// </summary>
public sealed class AwaitingWrites
{
    private readonly List<IActorRef> _waiting = [];

    public void Add(IActorRef requester)
    {
        if (!requester.IsNobody()) _waiting.Add(requester);
    }

    /// <summary>The write this requester waited for is durable (or it is answered otherwise).</summary>
    public void Done(IActorRef requester) => _waiting.Remove(requester);

    /// <summary>Tells everyone still waiting, and <paramref name="alsoTell"/> (a saga's requester), that the write failed.</summary>
    public void FailAll(string entity, Exception cause, IActorRef? alsoTell = null)
    {
        var error = ApiError.Unavailable($"{entity}: the journal did not take the write ({cause.GetBaseException().Message}); try again");
        foreach (var requester in _waiting.Append(alsoTell ?? ActorRefs.Nobody).Where(r => !r.IsNobody()).Distinct()) requester.Tell(error);
        _waiting.Clear();
    }
}
