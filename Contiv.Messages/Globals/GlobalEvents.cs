using Contiv.Messages.Model;

namespace Contiv.Messages.Globals;

/// <summary>Persisted facts of the <c>global</c> entity: settings, tag allocations, the tenant directory, Bgp configs.</summary>
public interface IGlobalEvent : Serialization.IContivPersisted;

public sealed record GlobalConfigSavedEvent(GlobalConfig Config) : IGlobalEvent;

public sealed record NetworkTagsTakenEvent(string Owner, NetworkTags Tags) : IGlobalEvent;

public sealed record NetworkTagsFreedEvent(string Owner) : IGlobalEvent;

/// <summary><paramref name="Id"/> is 0 in events written before tenants had numbers.</summary>
public sealed record TenantRegisteredEvent(string Name, int Id = 0) : IGlobalEvent;

public sealed record TenantUnregisteredEvent(string Name) : IGlobalEvent;

public sealed record BgpSavedEvent(BgpConfig Config) : IGlobalEvent;

public sealed record BgpDeletedEvent(string Hostname) : IGlobalEvent;
