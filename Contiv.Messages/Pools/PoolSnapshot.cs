using System.Collections.Immutable;

namespace Contiv.Messages.Pools;

/// <summary>A pool's state as saved in the snapshot store; the bitmap is rebuilt from it.</summary>
public sealed record PoolSnapshot(
    string? Subnet,
    string? Gateway,
    ImmutableArray<PoolHolding> Holdings,
    ImmutableArray<PoolRange> Ranges,
    ImmutableArray<PoolHolding> IpamHoldings = default) : Serialization.IContivPersisted;

/// <summary>An owner's address; in <see cref="PoolSnapshot.IpamHoldings"/>, a Docker holder's (one entry per holder and address).</summary>
public sealed record PoolHolding(string Owner, string Address);

public sealed record PoolRange(string Owner, string First, string Last);
