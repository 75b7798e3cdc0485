namespace Contiv.Messages.Access;

/// <summary>Commands of the <c>access</c> entity. Passwords are hashed before they are sent: the entity never sees one.</summary>
public interface IAccessCommand : Serialization.IContivWire;

/// <summary>Creates or replaces a user; an empty <see cref="LocalUser.PasswordHash"/> keeps the one stored (an update that sets no password).
/// <paramref name="CreateOnly"/>: refuse with 409 if the user exists (POST); otherwise the user must exist (PATCH).</summary>
public sealed record SaveUser(LocalUser User, bool CreateOnly) : IAccessCommand;

public sealed record DeleteUser(string Username) : IAccessCommand;

public sealed record GetUser(string Username) : IAccessCommand;

public sealed record ListUsers : IAccessCommand;

/// <summary>Creates <paramref name="User"/> only when no user exists yet: the first admin of a new cluster.</summary>
public sealed record EnsureFirstAdmin(LocalUser User) : IAccessCommand;

public sealed record AddAuthorization(TenantAuthorization Authorization) : IAccessCommand;

public sealed record RemoveAuthorization(string Id) : IAccessCommand;

public sealed record ListAuthorizations : IAccessCommand;

public sealed record GetAuthorization(string Id) : IAccessCommand;

/// <summary>Opens a session for a user whose password the caller has checked; sessions expired by <paramref name="Now"/> are dropped.</summary>
public sealed record OpenSession(Session Session, DateTimeOffset Now) : IAccessCommand;

public sealed record CloseSession(string TokenHash) : IAccessCommand;

/// <summary>Who holds the token whose hash this is, as of <paramref name="Now"/>: a <see cref="Principal"/> or a 401 refusal.</summary>
public sealed record Authenticate(string TokenHash, DateTimeOffset Now) : IAccessCommand;

// ---- answers ------------------------------------------------------------------------------------

public sealed record UserAnswer(LocalUser User) : Api.IEntityReply, Serialization.IContivWire;

public sealed record UsersAnswer(Collections.ValueArray<LocalUser> Users) : Api.IEntityReply, Serialization.IContivWire;

public sealed record UserRemoved(string Username) : Api.IEntityReply, Serialization.IContivWire;

/// <summary><paramref name="Created"/>: this call made the first admin (false: users existed already).</summary>
public sealed record FirstAdmin(bool Created) : Api.IEntityReply, Serialization.IContivWire;

public sealed record AuthorizationAnswer(TenantAuthorization Authorization) : Api.IEntityReply, Serialization.IContivWire;

public sealed record AuthorizationsAnswer(Collections.ValueArray<TenantAuthorization> Authorizations) : Api.IEntityReply, Serialization.IContivWire;

public sealed record AuthorizationRemoved(string Id) : Api.IEntityReply, Serialization.IContivWire;

public sealed record SessionOpened(DateTimeOffset ExpiresAt) : Api.IEntityReply, Serialization.IContivWire;

public sealed record SessionClosed : Api.IEntityReply, Serialization.IContivWire;

/// <summary>Published to every master when users, authorizations or sessions change: cached principals are dropped.</summary>
public sealed record AccessChanged : Serialization.IContivWire
{
    public const string Topic = "contiv.access";
}
