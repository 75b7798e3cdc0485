using Contiv.Messages.Access;
using Contiv.Messages.Api;

namespace Contiv.Master.Access;

/// <summary>Whether a request reads or changes what it names.</summary>
public enum ApiAction
{
    Read,
    Write,
}

/// <summary>What a REST request touches, as far as who may do it is concerned.</summary>
public abstract record ApiTarget
{
    /// <summary>An object of one tenant (the tenant itself included), or an endpoint of it.</summary>
    public sealed record OfTenant(string Tenant) : ApiTarget;

    /// <summary>Cluster-wide objects: the global settings, Bgp hosts, the nodes.</summary>
    public sealed record Global(string What) : ApiTarget;

    /// <summary>Users and authorizations.</summary>
    public sealed record Access : ApiTarget;

    /// <summary>A list of a tenant-scoped kind: answered, filtered to <see cref="AccessPolicy.VisibleTenants"/>.</summary>
    public sealed record TenantList : ApiTarget;
}

/// <summary>
/// The RBAC rules of issue #15, pure: <c>admin</c> may do everything; <c>ops</c> reads and writes only the tenants it is
/// authorized for, reads global objects, and never touches users or authorizations.
/// </summary>
public static class AccessPolicy
{
    /// <summary>A caller of the plain loopback listener without a token: trusted as the original netmaster trusted its callers.</summary>
    public static Principal LoopbackAdmin { get; } = new("loopback", Roles.Admin, [], DateTimeOffset.MaxValue);

    /// <returns>null when allowed; else the 403 to answer, naming the user, the role and the tenant</returns>
    public static ApiError? Check(Principal caller, ApiAction action, ApiTarget target)
    {
        if (caller.IsAdmin) return null;
        return target switch
        {
            ApiTarget.OfTenant { Tenant: var tenant } when caller.Tenants.Contains(tenant) => null,
            ApiTarget.OfTenant { Tenant: var tenant } => ApiError.Forbidden(
                $"user {caller.Username} (role {caller.Role}) is not authorized for tenant {tenant}"),
            ApiTarget.Global when action == ApiAction.Read => null,
            ApiTarget.Global { What: var what } => ApiError.Forbidden(
                $"user {caller.Username} (role {caller.Role}) may only read {what}: changing it needs role admin"),
            ApiTarget.TenantList => null,
            _ => ApiError.Forbidden($"user {caller.Username} (role {caller.Role}) may not manage users or authorizations: that needs role admin"),
        };
    }

    /// <summary>The tenants whose objects a list shows the caller; null: every tenant.</summary>
    public static IReadOnlySet<string>? VisibleTenants(Principal caller) =>
        caller.IsAdmin ? null : caller.Tenants.ToHashSet(StringComparer.Ordinal);
}
