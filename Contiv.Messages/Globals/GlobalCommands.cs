using System.Collections.Immutable;

namespace Contiv.Messages.Globals;

/// <summary>Asks the global allocator for a network's tags; idempotent per owner (<c>tenant:network</c>).
/// Answered with <see cref="NetworkTagsGranted"/> or an <see cref="Api.ApiError"/>.</summary>
public sealed record AllocateNetworkTags(string Owner, string Encap, int RequestedTag);

public sealed record NetworkTagsGranted(string Owner, NetworkTags Tags);

/// <summary>Gives a network's tags back; idempotent. Answered with <see cref="NetworkTagsReleased"/>.</summary>
public sealed record ReleaseNetworkTags(string Owner);

public sealed record NetworkTagsReleased(string Owner);

/// <summary>Which owners starting with a prefix (<c>tenant:</c>) hold tags; used to reconcile after a crash.</summary>
public sealed record ListTagOwners(string Prefix);

public sealed record TagOwners(ImmutableArray<string> Owners);

/// <summary>Records a tenant in the directory the list requests read; idempotent.</summary>
public sealed record RegisterTenant(string Name);

public sealed record TenantRegistered(string Name, int Id);

public sealed record UnregisterTenant(string Name);

public sealed record ListTenantNames;

public sealed record TenantNames(ImmutableArray<string> Names);
