using System.Collections.Immutable;
using Contiv.Messages.Access;
using Contiv.Messages.Api;

namespace Contiv.Master.Entities.Access;

/// <summary>
/// Who may use the API: local users, the tenants each ops user is authorized for, and open sessions. Pure: the
/// shell hashes nothing and reads no clock; passwords arrive hashed and the time arrives in the command.
/// </summary>
public sealed record AccessState
{
    public ImmutableSortedDictionary<string, LocalUser> Users { get; init; } = ImmutableSortedDictionary<string, LocalUser>.Empty;
    public ImmutableSortedDictionary<string, TenantAuthorization> Authorizations { get; init; } =
        ImmutableSortedDictionary<string, TenantAuthorization>.Empty;
    public ImmutableDictionary<string, Session> Sessions { get; init; } = ImmutableDictionary<string, Session>.Empty;

    public static AccessState Empty { get; } = new();

    // ---- decide -------------------------------------------------------------------------------

    public Decision<IAccessEvent> Decide(SaveUser save)
    {
        var user = save.User;
        var exists = Users.TryGetValue(user.Username, out var stored);
        if (save.CreateOnly && exists) return Refuse(ApiError.Conflict($"user {user.Username} already exists"));
        if (!save.CreateOnly && !exists) return Refuse(ApiError.NotFound($"user {user.Username} not found"));
        if (stored is null && user.PasswordHash.Length == 0) return Refuse(ApiError.Invalid($"user {user.Username}: password is required"));
        var saved = stored is not null && user.PasswordHash.Length == 0 ? user with { PasswordHash = stored.PasswordHash } : user;
        if (stored is not null && LeavesNoAdmin(stored.Username, saved))
            return Refuse(ApiError.Conflict($"user {user.Username} is the last enabled admin: make another admin first"));
        if (saved.Role != Roles.Admin || !Authorizations.Values.Any(a => a.PrincipalName == saved.Username))
            return saved == stored
                ? Decision<IAccessEvent>.Answer(new UserAnswer(saved))
                : Decision<IAccessEvent>.Persist(new UserAnswer(saved), new UserSavedEvent(saved));
        // An ops user made admin no longer needs its tenant authorizations: they would only confuse a later demotion.
        return Decision<IAccessEvent>.Persist(new UserAnswer(saved),
            [new UserSavedEvent(saved), .. Authorizations.Values.Where(a => a.PrincipalName == saved.Username).Select(a => new AuthorizationRemovedEvent(a.Id))]);
    }

    public Decision<IAccessEvent> DecideDelete(DeleteUser delete)
    {
        if (!Users.TryGetValue(delete.Username, out var stored)) return Refuse(ApiError.NotFound($"user {delete.Username} not found"));
        if (LeavesNoAdmin(stored.Username, null))
            return Refuse(ApiError.Conflict($"user {delete.Username} is the last enabled admin: make another admin first"));
        return Decision<IAccessEvent>.Persist(new UserRemoved(delete.Username), new UserDeletedEvent(delete.Username));
    }

    public Decision<IAccessEvent> Decide(EnsureFirstAdmin first) => Users.IsEmpty
        ? Decision<IAccessEvent>.Persist(new FirstAdmin(true), new UserSavedEvent(first.User))
        : Decision<IAccessEvent>.Answer(new FirstAdmin(false));

    public Decision<IAccessEvent> Decide(AddAuthorization add)
    {
        var wanted = add.Authorization;
        if (!Users.TryGetValue(wanted.PrincipalName, out var user))
            return Refuse(ApiError.NotFound($"authorization: principalName {wanted.PrincipalName} is not a local user"));
        if (user.Role == Roles.Admin)
            return Refuse(ApiError.Invalid($"authorization: user {user.Username} is an admin, which every tenant already allows"));
        if (Authorizations.Values.FirstOrDefault(a => a.PrincipalName == wanted.PrincipalName && a.TenantName == wanted.TenantName) is { } existing)
            return Decision<IAccessEvent>.Answer(new AuthorizationAnswer(existing));
        return Decision<IAccessEvent>.Persist(new AuthorizationAnswer(wanted), new AuthorizationAddedEvent(wanted));
    }

    public Decision<IAccessEvent> Decide(RemoveAuthorization remove) => Authorizations.ContainsKey(remove.Id)
        ? Decision<IAccessEvent>.Persist(new AuthorizationRemoved(remove.Id), new AuthorizationRemovedEvent(remove.Id))
        : Refuse(ApiError.NotFound($"authorization {remove.Id} not found"));

    public Decision<IAccessEvent> Decide(OpenSession open)
    {
        if (!Users.TryGetValue(open.Session.Username, out var user) || user.Disabled)
            return Refuse(ApiError.Unauthenticated("invalid username or password"));
        var expired = Sessions.Values.Where(s => s.ExpiresAt <= open.Now).Select(s => s.TokenHash).Order(StringComparer.Ordinal).ToArray();
        IAccessEvent[] events = expired.Length == 0
            ? [new SessionOpenedEvent(open.Session)]
            : [new SessionsExpiredEvent([.. expired]), new SessionOpenedEvent(open.Session)];
        return Decision<IAccessEvent>.Persist(new SessionOpened(open.Session.ExpiresAt), events);
    }

    public Decision<IAccessEvent> Decide(CloseSession close) => Sessions.ContainsKey(close.TokenHash)
        ? Decision<IAccessEvent>.Persist(new SessionClosed(), new SessionClosedEvent(close.TokenHash))
        : Decision<IAccessEvent>.Answer(new SessionClosed());

    /// <summary>The principal a token stands for, or why it stands for none (401).</summary>
    public IEntityReply Authenticate(Authenticate request)
    {
        if (!Sessions.TryGetValue(request.TokenHash, out var session))
            return ApiError.Unauthenticated("the token is unknown or was revoked: log in again (POST /api/v1/auth_proxy/login/)");
        if (session.ExpiresAt <= request.Now)
            return ApiError.Unauthenticated($"the token expired at {session.ExpiresAt:u}: log in again (POST /api/v1/auth_proxy/login/)");
        if (!Users.TryGetValue(session.Username, out var user) || user.Disabled)
            return ApiError.Unauthenticated($"user {session.Username} is disabled or was deleted");
        return new Principal(user.Username, user.Role, [.. TenantsOf(user.Username)], session.ExpiresAt);
    }

    public IEnumerable<string> TenantsOf(string username) =>
        Authorizations.Values.Where(a => a.PrincipalName == username).Select(a => a.TenantName).Distinct().Order(StringComparer.Ordinal);

    private bool LeavesNoAdmin(string username, LocalUser? after) =>
        Users.Values.Any(u => u.Username == username && IsEnabledAdmin(u))
        && (after is null || !IsEnabledAdmin(after))
        && !Users.Values.Any(u => u.Username != username && IsEnabledAdmin(u));

    private static bool IsEnabledAdmin(LocalUser user) => user.Role == Roles.Admin && !user.Disabled;

    private static Decision<IAccessEvent> Refuse(ApiError error) => Decision<IAccessEvent>.Refuse(error);

    // ---- apply --------------------------------------------------------------------------------

    public AccessState Apply(IAccessEvent @event) => @event switch
    {
        UserSavedEvent saved => this with { Users = Users.SetItem(saved.User.Username, saved.User) },
        UserDeletedEvent deleted => this with
        {
            Users = Users.Remove(deleted.Username),
            Authorizations = Authorizations.RemoveRange(Authorizations.Values.Where(a => a.PrincipalName == deleted.Username).Select(a => a.Id)),
            Sessions = Sessions.RemoveRange(Sessions.Values.Where(s => s.Username == deleted.Username).Select(s => s.TokenHash)),
        },
        AuthorizationAddedEvent added => this with { Authorizations = Authorizations.SetItem(added.Authorization.Id, added.Authorization) },
        AuthorizationRemovedEvent removed => this with { Authorizations = Authorizations.Remove(removed.Id) },
        SessionOpenedEvent opened => this with { Sessions = Sessions.SetItem(opened.Session.TokenHash, opened.Session) },
        SessionClosedEvent closed => this with { Sessions = Sessions.Remove(closed.TokenHash) },
        SessionsExpiredEvent expired => this with { Sessions = Sessions.RemoveRange(expired.TokenHashes) },
        _ => this,
    };

    public AccessSnapshot Capture() => new([.. Users.Values], [.. Authorizations.Values],
        [.. Sessions.Values.OrderBy(s => s.TokenHash, StringComparer.Ordinal)]);

    public static AccessState Restore(AccessSnapshot snapshot) => new()
    {
        Users = snapshot.Users.ToImmutableSortedDictionary(u => u.Username, u => u, StringComparer.Ordinal),
        Authorizations = snapshot.Authorizations.ToImmutableSortedDictionary(a => a.Id, a => a, StringComparer.Ordinal),
        Sessions = snapshot.Sessions.ToImmutableDictionary(s => s.TokenHash),
    };
}
