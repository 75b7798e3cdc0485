namespace Contiv.Messages.Pools;

/// <summary>
/// Commands of a network's IP pool entity (<c>tenant/network</c>). Owners name who holds an address:
/// <c>gateway</c>, <c>svc:&lt;service&gt;</c>, <c>epg:&lt;group&gt;</c> for a group's reserved range,
/// <c>ep:&lt;endpoint&gt;</c> for host agents' endpoints. Every command is idempotent per owner.
/// Answered with the reply named, or an <see cref="Api.ApiError"/>.
/// </summary>
public interface IPoolCommand : Serialization.IContivWire;

/// <summary>Opens (or re-opens) the pool for a subnet, reserving the gateway. Answered with <see cref="PoolReady"/>.</summary>
public sealed record OpenPool(string Subnet, string? Gateway) : IPoolCommand;

public sealed record PoolReady(string Subnet) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Closes the pool; refused while endpoints hold addresses. Answered with <see cref="PoolClosed"/>.</summary>
public sealed record ClosePool : IPoolCommand;

public sealed record PoolClosed : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Allocates the lowest free address (or <paramref name="Preferred"/>), inside the range reserved
/// for <paramref name="RangeOwner"/> when given. Answered with <see cref="AddressGranted"/>.
/// <paramref name="FromIpam"/>: the preferred address was handed out by Docker's IPAM (<see cref="HoldIpamAddress"/>); the
/// owner takes it although Docker holds it, where any other owner would be refused.</summary>
public sealed record AllocateAddress(string Owner, string? Preferred = null, string? RangeOwner = null, bool FromIpam = false) : IPoolCommand;

public sealed record AddressGranted(string Owner, string Address, string Mac, int PrefixLength, string? Gateway) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Frees whatever address the owner holds. Answered with <see cref="AddressReleased"/> (also when it held none).</summary>
public sealed record ReleaseAddress(string Owner) : IPoolCommand;

public sealed record AddressReleased(string Owner, string? Address) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>
/// Docker's IPAM asks for an address for <paramref name="Holder"/> (see <see cref="PoolOwners"/>): <paramref name="Address"/>
/// when given (held already by another Docker holder is fine: that is swarm asking again on the node),
/// else the lowest free one, inside the range of <paramref name="RangeOwner"/> when given. A
/// <paramref name="Gateway"/> request gets the network's gateway. Holding twice is holding once.
/// Answered with <see cref="AddressGranted"/> (its Owner is the holder).
/// </summary>
public sealed record HoldIpamAddress(string Holder, string? Address = null, bool Gateway = false, string? RangeOwner = null) : IPoolCommand;

/// <summary>Docker's IPAM lets go of an address for one holder; the address is free once no holder and no
/// endpoint has it. Refused (NotFound) when this holder does not hold it. Answered with <see cref="AddressReleased"/>.</summary>
public sealed record ReleaseIpamAddress(string Holder, string Address) : IPoolCommand;

/// <summary>
/// An agent starting up: Docker's IPAM on its host (<paramref name="Holder"/>, a local space) holds addresses only
/// for its containers' endpoints and the network's gateway; any other address it holds was left by calls
/// dockerd could not make while the agent was down (a container stopped then releases nothing), and is let go.
/// Answered with <see cref="IpamOrphansReleased"/>.
/// </summary>
public sealed record ReleaseIpamOrphans(string Holder) : IPoolCommand;

public sealed record IpamOrphansReleased(string Holder, System.Collections.Immutable.ImmutableArray<string> Addresses) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Sets a range aside for an endpoint group's ipPool. Answered with <see cref="RangeReserved"/>.</summary>
public sealed record ReserveRange(string Owner, string Range) : IPoolCommand;

public sealed record RangeReserved(string Owner, string Range) : Serialization.IContivWire, Api.IEntityReply;

public sealed record ReleaseRange(string Owner) : IPoolCommand;

public sealed record RangeReleased(string Owner) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>Address usage of the pool, or of one reserved range. Answered with <see cref="PoolUsage"/>.</summary>
public sealed record InspectPool(string? RangeOwner = null) : IPoolCommand;

public sealed record PoolUsage(string AllocatedAddresses, string AvailableAddresses, int AllocatedCount, int EndpointCount) : Serialization.IContivWire, Api.IEntityReply;

/// <summary>After a tenant restarts: re-opens the pool, drops service and range owners the tenant no longer
/// knows, and takes back the service addresses and group ranges the tenant still records but the pool let go
/// (a delete that died after its pool step). An address or range since taken by another owner is left as it is.
/// Answered with <see cref="PoolReconciled"/>.</summary>
public sealed record ReconcilePool(
    string Subnet,
    string? Gateway,
    System.Collections.Immutable.ImmutableArray<string> KnownOwners,
    System.Collections.Immutable.ImmutableArray<PoolHolding> KnownAddresses = default,
    System.Collections.Immutable.ImmutableArray<PoolRange> KnownRanges = default) : IPoolCommand;

/// <param name="Unrestored">Owners whose recorded address or range another owner took meanwhile (comma-separated).</param>
public sealed record PoolReconciled(int Dropped, int Restored = 0, string? Unrestored = null) : Serialization.IContivWire, Api.IEntityReply;
