using System.Collections.Immutable;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Pools;

namespace Contiv.Master.Entities.Pools;

/// <summary>Docker's IPAM in the pool: addresses held per holder, taken while any holder or an endpoint has them.</summary>
public sealed partial record IpPoolState
{
    private Decision<IPoolEvent> DecideIpamHold(HoldIpamAddress hold)
    {
        if (Spec is not { } spec) return Decision<IPoolEvent>.Refuse(ApiError.NotFound($"network {Name} not found"));
        if (string.IsNullOrEmpty(hold.Holder)) return Decision<IPoolEvent>.Refuse(ApiError.Invalid("holder: required"));
        var picked = hold.Gateway && Gateway is not null ? PickGateway(hold.Address)
            : !string.IsNullOrEmpty(hold.Address) ? PickExplicit(spec, hold.Address, hold.RangeOwner)
            : PickLowestFree(hold.RangeOwner);
        if (picked.Error is { } error) return Decision<IPoolEvent>.Refuse(error);
        var address = picked.Address;
        var granted = Granted(hold.Holder, address);
        return IpamHolders.TryGetValue(address, out var holders) && holders.Contains(hold.Holder)
            ? Decision<IPoolEvent>.Answer(granted)
            : Decision<IPoolEvent>.Persist(granted, new IpamAddressHeldEvent(hold.Holder, Ipv4.Format(address)));
    }

    private (uint Address, ApiError? Error) PickGateway(string? asked)
    {
        var gateway = Ipv4.Parse(Gateway!);
        if (!string.IsNullOrEmpty(asked) && (!Ipv4.TryParse(asked, out var wanted) || wanted != gateway))
            return (0, ApiError.Invalid($"gateway {asked}: network {NetworkName} has gateway {Gateway}; create the Docker network with that gateway or none"));
        return (gateway, null);
    }

    private (uint Address, ApiError? Error) PickExplicit(SubnetSpec spec, string asked, string? rangeOwner)
    {
        if (!Ipv4.TryParse(asked, out var address)) return (0, ApiError.Invalid($"address {asked} is not an IPv4 address"));
        if (!spec.Contains(address) || spec.IsReserved(address))
            return (0, ApiError.Invalid($"address {asked} is not an allocatable address of network {NetworkName} ({Subnet})"));
        // Docker asking again for an address it holds (swarm: the manager, then the node) is fine,
        // also once an endpoint uses it; an address some other owner has is not Docker's to give.
        if (IpamHolders.ContainsKey(address)) return (address, null);
        if (HolderOf.TryGetValue(address, out var owner))
            return (0, ApiError.Conflict($"address {asked} is already allocated in network {NetworkName} (to {owner})"));
        var inRange = RangeHolding(address);
        if (rangeOwner is not null ? inRange != rangeOwner : inRange is not null)
            return (0, ApiError.Conflict(rangeOwner is null
                ? $"address {asked} is reserved for the ipPool of {inRange}"
                : $"address {asked} is outside the ipPool of {rangeOwner}"));
        return (address, null);
    }

    private (uint Address, ApiError? Error) PickLowestFree(string? rangeOwner)
    {
        if (rangeOwner is null)
            return LowestFreeOutsideRanges() is { } free ? (free, null)
                : (0, ApiError.Conflict($"no free address in network {NetworkName} ({Subnet}): all are allocated"));
        if (!Ranges.TryGetValue(rangeOwner, out var range))
            return (0, ApiError.NotFound($"no ipPool reserved for {rangeOwner} in network {NetworkName}"));
        return LowestFreeIn(range.First, range.Last) is { } inRange ? (inRange, null)
            : (0, ApiError.Conflict($"no free address in the ipPool of {rangeOwner} in network {NetworkName}"));
    }

    private Decision<IPoolEvent> DecideIpamRelease(ReleaseIpamAddress release)
    {
        if (!IsOpen) return Decision<IPoolEvent>.Refuse(ApiError.NotFound($"network {Name} not found"));
        if (!Ipv4.TryParse(release.Address, out var address))
            return Decision<IPoolEvent>.Refuse(ApiError.Invalid($"address {release.Address} is not an IPv4 address"));
        if (!IpamHolders.TryGetValue(address, out var holders) || !holders.Contains(release.Holder))
            return Decision<IPoolEvent>.Refuse(ApiError.NotFound(
                $"address {release.Address} is not held by Docker ({release.Holder}) in network {NetworkName}: released already, or never requested"));
        return Decision<IPoolEvent>.Persist(new AddressReleased(release.Holder, release.Address),
            new IpamAddressReleasedEvent(release.Holder, release.Address));
    }

    private Decision<IPoolEvent> DecideIpamOrphans(string holder)
    {
        var orphans = IpamHolders
            .Where(h => h.Value.Contains(holder) && !HolderOf.ContainsKey(h.Key))
            .Select(h => Ipv4.Format(h.Key))
            .ToImmutableArray();
        var reply = new IpamOrphansReleased(holder, orphans);
        return orphans.IsEmpty
            ? Decision<IPoolEvent>.Answer(reply)
            : new Decision<IPoolEvent>([.. orphans.Select(a => (IPoolEvent)new IpamAddressReleasedEvent(holder, a))], reply);
    }

    private IpPoolState IpamHold(string holder, uint address)
    {
        var spec = Spec!;
        var holders = IpamHolders.GetValueOrDefault(address, ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal));
        return this with
        {
            IpamHolders = IpamHolders.SetItem(address, holders.Add(holder)),
            Taken = spec.Contains(address) ? Taken.Set(address - spec.First, true) : Taken,
        };
    }

    private IpPoolState IpamRelease(string holder, uint address)
    {
        if (!IpamHolders.TryGetValue(address, out var holders)) return this;
        var left = holders.Remove(holder);
        if (!left.IsEmpty) return this with { IpamHolders = IpamHolders.SetItem(address, left) };
        var spec = Spec!;
        var stillTaken = HolderOf.ContainsKey(address) || RangeHolding(address) is not null || spec.IsReserved(address);
        return this with
        {
            IpamHolders = IpamHolders.Remove(address),
            Taken = spec.Contains(address) && !stillTaken ? Taken.Set(address - spec.First, false) : Taken,
        };
    }
}
