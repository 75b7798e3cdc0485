using Contiv.Messages.Access;
using Contiv.Messages.Api;

namespace Contiv.Master.Access;

/// <summary>The audit log's category: Program keeps it at Information while everything else logs warnings only.</summary>
public static class AuditLog
{
    public const string Category = "Contiv.Audit";
}

/// <summary>
/// A new cluster's first user: <c>admin</c>, with the password the operator gave (--admin-password or
/// CONTIV_MASTER_ADMIN_PASSWORD) or one made up and printed once. The access entity creates it only while it has no
/// user at all, so masters starting together make one admin, and a restart never resets a changed password.
/// </summary>
public static class FirstAdminUser
{
    public const string Username = "admin";

    /// <returns>what to print when this call created the admin; null when users existed already</returns>
    public static async Task<string?> EnsureAsync(Authenticator authenticator, AccessSettings settings, string? givenPassword)
    {
        var password = givenPassword ?? Passwords.Generate();
        var user = new LocalUser(Username, Roles.Admin, false, Passwords.Hash(password, settings.PasswordIterations));
        for (var attempt = 1; ; attempt++)
        {
            switch (await authenticator.AskAsync(new EnsureFirstAdmin(user)))
            {
                case FirstAdmin { Created: false }:
                    return null;
                case FirstAdmin { Created: true }:
                    return givenPassword is null
                        ? $"contiv-master: created user {Username} (role admin) with password {password} -- shown only now: log in and change it"
                        : $"contiv-master: created user {Username} (role admin) with the password given at start";
                case ApiError { Kind: ApiErrorKind.Unavailable } when attempt < 5:
                    continue;
                case var other:
                    throw new InvalidOperationException($"the first admin could not be created: {other}");
            }
        }
    }
}
