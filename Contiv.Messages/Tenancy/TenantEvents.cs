using Contiv.Messages.Globals;
using Contiv.Messages.Model;

namespace Contiv.Messages.Tenancy;

/// <summary>Persisted facts of a tenant entity: the tenant's configuration objects, one event kind per change.</summary>
public interface ITenantEvent : Serialization.IContivPersisted;

/// <summary><paramref name="Id"/>: the tenant's number from global (0 in events written before tenants had numbers).</summary>
public sealed record TenantCreatedEvent(TenantConfig Config, int Id = 0) : ITenantEvent;

public sealed record TenantDeletedEvent(string Name) : ITenantEvent;

public sealed record NetworkCreatedEvent(NetworkConfig Config, NetworkTags Tags) : ITenantEvent;

public sealed record NetworkDeletedEvent(string Name) : ITenantEvent;

public sealed record EndpointGroupSavedEvent(EndpointGroupConfig Config) : ITenantEvent;

public sealed record EndpointGroupDeletedEvent(string Name) : ITenantEvent;

public sealed record PolicySavedEvent(PolicyConfig Config) : ITenantEvent;

/// <summary>Deleting a policy deletes its rules with it.</summary>
public sealed record PolicyDeletedEvent(string Name) : ITenantEvent;

public sealed record RuleAddedEvent(RuleConfig Config) : ITenantEvent;

public sealed record RuleDeletedEvent(string PolicyName, string RuleId) : ITenantEvent;

public sealed record NetProfileSavedEvent(NetProfileConfig Config) : ITenantEvent;

public sealed record NetProfileDeletedEvent(string Name) : ITenantEvent;

public sealed record AppProfileSavedEvent(AppProfileConfig Config) : ITenantEvent;

public sealed record AppProfileDeletedEvent(string Name) : ITenantEvent;

public sealed record ExtContractsGroupSavedEvent(ExtContractsGroupConfig Config) : ITenantEvent;

public sealed record ExtContractsGroupDeletedEvent(string Name) : ITenantEvent;

public sealed record ServiceLbSavedEvent(ServiceLbConfig Config, string Vip) : ITenantEvent;

public sealed record ServiceLbDeletedEvent(string Name) : ITenantEvent;

/// <summary>Written before work on a network's pool whose outcome must be reconciled if the master dies
/// half-way; the step that completes the work (or <see cref="PoolWorkEndedEvent"/>) clears it.</summary>
public sealed record PoolWorkStartedEvent(string Network) : ITenantEvent;

public sealed record PoolWorkEndedEvent(string Network) : ITenantEvent;

/// <summary>The number global gave a tenant created before tenants had numbers, learned when the tenant recovers.</summary>
public sealed record TenantNumberedEvent(int Id) : ITenantEvent;
