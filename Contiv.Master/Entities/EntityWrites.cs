using Akka.Actor;
using Contiv.Messages.Api;

namespace Contiv.Master.Entities;

/// <summary>
/// What every entity shell keeps about its journal writes, composed into each (not inherited): who waits for a
/// write to be durable, how many events are still in flight, and when a snapshot is due.
/// A snapshot is due every <c>snapshot-every</c> events, but never while events are in flight: it would hold
/// changes whose events might not survive. When a write fails, Akka.Persistence stops the entity; everyone still
/// waiting then gets a 503 with the journal's reason at once, instead of waiting for their request to time out.
/// </summary>
public sealed class EntityWrites(string entity, int snapshotEvery)
{
    private readonly List<IActorRef> _waiting = [];
    private int _inFlight;
    private int _sinceSnapshot;

    /// <summary><paramref name="events"/> events go to the journal; <paramref name="requester"/> is answered once they are durable.</summary>
    public void Started(IActorRef requester, int events)
    {
        _inFlight += events;
        if (!requester.IsNobody()) _waiting.Add(requester);
    }

    /// <summary>The write is durable; true when the shell should now save a snapshot.</summary>
    public bool Completed(IActorRef requester, int events)
    {
        _inFlight -= events;
        _waiting.Remove(requester);
        _sinceSnapshot += events;
        if (_sinceSnapshot < snapshotEvery || _inFlight > 0) return false;
        _sinceSnapshot = 0;
        return true;
    }

    /// <summary>Tells everyone still waiting, and <paramref name="alsoTell"/> (a saga's requester), that the write failed.</summary>
    public void FailAll(Exception cause, IActorRef? alsoTell = null)
    {
        var error = ApiError.Unavailable($"{entity}: the journal did not take the write ({cause.GetBaseException().Message}); try again");
        foreach (var requester in _waiting.Append(alsoTell ?? ActorRefs.Nobody).Where(r => !r.IsNobody()).Distinct()) requester.Tell(error);
        _waiting.Clear();
    }
}
