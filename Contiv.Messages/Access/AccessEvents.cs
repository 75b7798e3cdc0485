namespace Contiv.Messages.Access;

/// <summary>Persisted facts of the <c>access</c> entity: local users, tenant authorizations and sessions.</summary>
public interface IAccessEvent : Serialization.IContivPersisted;

public sealed record UserSavedEvent(LocalUser User) : IAccessEvent;

public sealed record UserDeletedEvent(string Username) : IAccessEvent;

public sealed record AuthorizationAddedEvent(TenantAuthorization Authorization) : IAccessEvent;

public sealed record AuthorizationRemovedEvent(string Id) : IAccessEvent;

public sealed record SessionOpenedEvent(Session Session) : IAccessEvent;

public sealed record SessionClosedEvent(string TokenHash) : IAccessEvent;

/// <summary>Sessions past their expiry, dropped when the next one opens so the state does not grow with every login.</summary>
public sealed record SessionsExpiredEvent(Collections.ValueArray<string> TokenHashes) : IAccessEvent;

/// <summary>The whole access state, for snapshots.</summary>
public sealed record AccessSnapshot(
    Collections.ValueArray<LocalUser> Users,
    Collections.ValueArray<TenantAuthorization> Authorizations,
    Collections.ValueArray<Session> Sessions) : Serialization.IContivPersisted;
