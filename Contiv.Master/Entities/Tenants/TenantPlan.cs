using Contiv.Messages.Model;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Tenants;

/// <summary>
/// What a tenant must do for a request. Most are answered or persisted at once; some need another
/// entity first (tags from <c>global</c>, addresses from a network's pool). Every step is idempotent
/// per owner, so a crash between steps converges on restart (see TenantEntity's reconciliation).
/// </summary>
public abstract record TenantPlan;

/// <summary>Answer now, persisting the decision's events first.</summary>
public sealed record ImmediatePlan(Decision<ITenantEvent> Decision) : TenantPlan;

/// <summary>Register the tenant in the global directory, then persist it.</summary>
public sealed record CreateTenantPlan(TenantConfig Config) : TenantPlan;

/// <summary>Persist the tenant's deletion, then unregister it.</summary>
public sealed record DeleteTenantPlan(string Name) : TenantPlan;

/// <summary>Take tags from <c>global</c> and open the network's pool, then persist the network.</summary>
public sealed record CreateNetworkPlan(NetworkConfig Config) : TenantPlan;

/// <summary>Close the pool (refused while endpoints hold addresses), persist, then give the tags back.</summary>
public sealed record DeleteNetworkPlan(string Name) : TenantPlan;

/// <summary>Reserve the group's ipPool in its network's pool, then persist the group.</summary>
public sealed record CreateGroupWithPoolPlan(EndpointGroupConfig Config) : TenantPlan;

/// <summary>Persist the group's deletion, then release its ipPool.</summary>
public sealed record DeleteGroupWithPoolPlan(EndpointGroupConfig Config) : TenantPlan;

/// <summary>Allocate the service's VIP in its network's pool, then persist the service.</summary>
public sealed record SaveServiceLbPlan(ServiceLbConfig Config) : TenantPlan;

/// <summary>Persist the service's deletion, then free its VIP.</summary>
public sealed record DeleteServiceLbPlan(ServiceLbEntry Entry) : TenantPlan;
