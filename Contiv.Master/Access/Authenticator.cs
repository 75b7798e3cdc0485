using System.Collections.Concurrent;
using Akka.Actor;
using Contiv.Master.Entities.Access;
using Contiv.Messages.Access;
using Contiv.Messages.Api;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Access;

/// <summary>
/// Turns a token into its <see cref="Principal"/> on this master: the access entity (wherever the cluster placed it)
/// answers, and the answer is kept for <see cref="AccessSettings.CacheTtl"/> or until the entity announces a change.
/// Only principals are kept: a flood of made-up tokens cannot fill the cache.
/// </summary>
public sealed class Authenticator(Func<IActorRef> accessRegion, AccessSettings settings, TimeSpan askTimeout, TimeProvider clock)
{
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (Principal Principal, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public TimeProvider Clock => clock;

    /// <summary>Forgets every cached principal: users, authorizations or sessions changed somewhere in the cluster.</summary>
    public void Forget() => _cache.Clear();

    /// <returns>a <see cref="Principal"/>, or the <see cref="ApiError"/> to answer (401, or 503 when the access entity is silent)</returns>
    public async Task<IEntityReply> AuthenticateAsync(string token)
    {
        var now = clock.GetUtcNow();
        var hash = Tokens.HashOf(token);
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now && cached.Principal.ExpiresAt > now) return cached.Principal;
        var answer = await AskAsync(new Authenticate(hash, now));
        if (answer is Principal principal)
        {
            if (_cache.Count >= MaxCached) _cache.Clear();
            _cache[hash] = (principal, now + settings.CacheTtl);
        }
        else _cache.TryRemove(hash, out _);
        return answer;
    }

    /// <summary>Asks the access entity; no answer in time is a 503 naming it.</summary>
    public async Task<IEntityReply> AskAsync(IAccessCommand command)
    {
        try
        {
            return await accessRegion().Ask<IEntityReply>(new ShardEnvelope(AccessEntity.EntityId, command), askTimeout);
        }
        catch (AskTimeoutException)
        {
            return ApiError.Unavailable($"the access entity (users and tokens) did not answer within {askTimeout.TotalSeconds:0.#} s; try again");
        }
    }
}

/// <summary>Every master's listener for <see cref="AccessChanged"/>: a logout or a changed user takes effect here at once.</summary>
public sealed class AccessChangeListener : ReceiveActor
{
    public static Props Props(IActorRef mediator, Authenticator authenticator) =>
        Akka.Actor.Props.Create(() => new AccessChangeListener(mediator, authenticator));

    public AccessChangeListener(IActorRef mediator, Authenticator authenticator)
    {
        mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(AccessChanged.Topic, Self));
        Receive<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(_ => authenticator.Forget());
        Receive<AccessChanged>(_ => authenticator.Forget());
    }
}
