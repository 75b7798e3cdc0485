namespace Contiv.Messages.Pools;

/// <summary>Persisted facts of a network's IP pool. Addresses are dotted strings so the journal stays readable.</summary>
public interface IPoolEvent : Serialization.IContivPersisted;

public sealed record PoolOpenedEvent(string Subnet, string? Gateway) : IPoolEvent;

public sealed record PoolClosedEvent : IPoolEvent;

public sealed record AddressAllocatedEvent(string Owner, string Address) : IPoolEvent;

public sealed record AddressFreedEvent(string Owner, string Address) : IPoolEvent;

public sealed record RangeReservedEvent(string Owner, string First, string Last) : IPoolEvent;

public sealed record RangeFreedEvent(string Owner) : IPoolEvent;

/// <summary>Docker's IPAM holds the address for this holder (see <see cref="PoolOwners"/>).</summary>
public sealed record IpamAddressHeldEvent(string Holder, string Address) : IPoolEvent;

public sealed record IpamAddressReleasedEvent(string Holder, string Address) : IPoolEvent;
