namespace Contiv.Messages.Access;

/// <summary>The two roles of Contiv's auth proxy.</summary>
public static class Roles
{
    /// <summary>Everything, including global settings, users and authorizations.</summary>
    public const string Admin = "admin";

    /// <summary>Reads and writes only the tenants it is authorized for; reads global; never users.</summary>
    public const string Ops = "ops";

    public static bool IsValid(string? role) => role is Admin or Ops;
}

/// <summary>
/// A local user as stored: the password only as a PBKDF2 hash (<see cref="PasswordHash"/> is
/// <c>pbkdf2-sha256$iterations$salt$hash</c>, base64), never the password.
/// </summary>
public sealed record LocalUser(string Username, string Role, bool Disabled, string PasswordHash, string? FirstName = null, string? LastName = null);

/// <summary>An ops user's access to one tenant (Contiv's tenant authorization).</summary>
public sealed record TenantAuthorization(string Id, string PrincipalName, string Role, string TenantName);

/// <summary>A logged-in client: only the SHA-256 of its token is kept, so the journal holds no usable token.</summary>
public sealed record Session(string TokenHash, string Username, DateTimeOffset ExpiresAt);

/// <summary>Who a token belongs to, as every master checks it: the role and, for ops, its tenants.</summary>
public sealed record Principal(string Username, string Role, Collections.ValueArray<string> Tenants, DateTimeOffset ExpiresAt) : Api.IEntityReply, Serialization.IContivWire
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsAdmin => Role == Roles.Admin;
}
