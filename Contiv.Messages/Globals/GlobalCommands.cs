using System.Collections.Immutable;

namespace Contiv.Messages.Globals;

/// <summary>Asks the global allocator for a network's tags; idempotent per owner (<c>tenant:network</c>).
/// Answered with <see cref="NetworkTagsGranted"/> or an <see cref="Api.ApiError"/>.</summary>
public sealed record AllocateNetworkTags(string Owner, string Encap, int RequestedTag) : Serialization.IContivWire;

public sealed record NetworkTagsGranted(string Owner, NetworkTags Tags) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Gives a network's tags back; idempotent. Answered with <see cref="NetworkTagsReleased"/>.</summary>
public sealed record ReleaseNetworkTags(string Owner) : Serialization.IContivWire;

public sealed record NetworkTagsReleased(string Owner) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Which owners starting with a prefix (<c>tenant:</c>) hold tags; used to reconcile after a crash.</summary>
public sealed record ListTagOwners(string Prefix) : Serialization.IContivWire;

public sealed record TagOwners(ImmutableArray<string> Owners) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Records a tenant in the directory the list requests read; idempotent.</summary>
public sealed record RegisterTenant(string Name) : Serialization.IContivWire;

public sealed record TenantRegistered(string Name, int Id) : Serialization.IContivWire, Api.IEntityReply;

public sealed record UnregisterTenant(string Name) : Serialization.IContivWire;

public sealed record ListTenantNames : Serialization.IContivWire;

public sealed record TenantNames(ImmutableArray<string> Names) : Serialization.IContivWire, Api.IEntityReply;
