using Contiv.Messages.Addressing;
using Contiv.Messages.Pools;

namespace Contiv.Master.Entities.Pools;

/// <summary>Pool state to and from its snapshot: replaying the snapshot as events keeps one code path.</summary>
public static class PoolSnapshots
{
    public static PoolSnapshot Capture(IpPoolState state) => new(
        state.Subnet,
        state.Gateway,
        [.. state.AddressOf.Where(h => h.Key != IpPoolState.GatewayOwner).Select(h => new PoolHolding(h.Key, Ipv4.Format(h.Value)))],
        [.. state.Ranges.Select(r => new PoolRange(r.Key, Ipv4.Format(r.Value.First), Ipv4.Format(r.Value.Last)))],
        [.. state.IpamHolders.SelectMany(h => h.Value.Select(holder => new PoolHolding(holder, Ipv4.Format(h.Key))))]);

    public static IpPoolState Restore(string name, PoolSnapshot snapshot)
    {
        var state = IpPoolState.Closed(name);
        if (snapshot.Subnet is null) return state;
        IEnumerable<IPoolEvent> events =
        [
            new PoolOpenedEvent(snapshot.Subnet, snapshot.Gateway),
            .. snapshot.Ranges.Select(r => new RangeReservedEvent(r.Owner, r.First, r.Last)),
            .. snapshot.Holdings.Select(h => new AddressAllocatedEvent(h.Owner, h.Address)),
            .. (snapshot.IpamHoldings.IsDefault ? [] : snapshot.IpamHoldings).Select(h => new IpamAddressHeldEvent(h.Owner, h.Address)),
        ];
        return events.Aggregate(state, (s, e) => s.Apply(e));
    }
}
