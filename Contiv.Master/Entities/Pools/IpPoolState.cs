using System.Collections.Immutable;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Pools;

namespace Contiv.Master.Entities.Pools;

/// <summary>
/// A network's address pool: who holds which address, which ranges are set aside for endpoint groups,
/// and a bitmap of taken offsets for lowest-free allocation. Pure: Decide never changes state, Apply does.
/// </summary>
public sealed partial record IpPoolState
{
    public const string GatewayOwner = PoolOwners.Gateway;
    public const string EndpointOwnerPrefix = PoolOwners.EndpointPrefix;
    public const string ServiceOwnerPrefix = PoolOwners.ServicePrefix;
    public const string GroupOwnerPrefix = PoolOwners.GroupPrefix;

    public string Name { get; init; } = "";
    public string? Subnet { get; init; }
    public SubnetSpec? Spec { get; init; }
    public string? Gateway { get; init; }
    public ImmutableDictionary<string, uint> AddressOf { get; init; } = ImmutableDictionary<string, uint>.Empty;
    public ImmutableSortedDictionary<uint, string> HolderOf { get; init; } = ImmutableSortedDictionary<uint, string>.Empty;
    public ImmutableDictionary<string, (uint First, uint Last)> Ranges { get; init; } =
        ImmutableDictionary<string, (uint First, uint Last)>.Empty;
    public AddressBitmap Taken { get; init; } = AddressBitmap.Empty(0);

    /// <summary>Addresses Docker's IPAM holds, with who holds each (an endpoint may use one as well: see <see cref="AllocateAddress.FromIpam"/>).</summary>
    public ImmutableSortedDictionary<uint, ImmutableSortedSet<string>> IpamHolders { get; init; } =
        ImmutableSortedDictionary<uint, ImmutableSortedSet<string>>.Empty;

    public bool IsOpen => Spec is not null;
    public int EndpointCount => AddressOf.Keys.Count(o => o.StartsWith(EndpointOwnerPrefix, StringComparison.Ordinal));

    public static IpPoolState Closed(string name) => new() { Name = name };

    // ---- decide -------------------------------------------------------------------------------

    public Decision<IPoolEvent> Decide(IPoolCommand command) => command switch
    {
        OpenPool open => DecideOpen(open.Subnet, open.Gateway),
        ClosePool => DecideClose(),
        AllocateAddress allocate => DecideAllocate(allocate),
        ReleaseAddress release => AddressOf.TryGetValue(release.Owner, out var held)
            ? Decision<IPoolEvent>.Persist(new AddressReleased(release.Owner, Ipv4.Format(held)),
                new AddressFreedEvent(release.Owner, Ipv4.Format(held)))
            : Decision<IPoolEvent>.Answer(new AddressReleased(release.Owner, null)),
        HoldIpamAddress hold => DecideIpamHold(hold),
        ReleaseIpamAddress release => DecideIpamRelease(release),
        ReleaseIpamOrphans orphans => DecideIpamOrphans(orphans.Holder),
        ReserveRange reserve => DecideReserve(reserve),
        ReleaseRange release => DecideReleaseRange(release.Owner),
        InspectPool inspect => DecideInspect(inspect.RangeOwner),
        ReconcilePool reconcile => DecideReconcile(reconcile),
        _ => Decision<IPoolEvent>.Refuse(ApiError.Invalid($"unknown pool command {command.GetType().Name}")),
    };

    private Decision<IPoolEvent> DecideOpen(string subnet, string? gateway)
    {
        if (!SubnetSpec.TryParse(subnet, out var spec, out var error)) return Decision<IPoolEvent>.Refuse(ApiError.Invalid(error));
        if (gateway is not null && (!Ipv4.TryParse(gateway, out var gw) || !spec.InPrefix(gw)))
            return Decision<IPoolEvent>.Refuse(ApiError.Invalid($"gateway {gateway} is not inside subnet {subnet}"));
        if (IsOpen && Subnet == subnet && Gateway == gateway) return Decision<IPoolEvent>.Answer(new PoolReady(subnet));
        if (IsOpen && (AddressOf.Keys.Any(o => o != GatewayOwner) || !IpamHolders.IsEmpty))
            return Decision<IPoolEvent>.Refuse(ApiError.Conflict(
                $"network {Name} already has subnet {Subnet} with {InUse().Count() - (Gateway is null ? 0 : 1)} addresses in use"));
        return Decision<IPoolEvent>.Persist(new PoolReady(subnet), new PoolOpenedEvent(subnet, gateway));
    }

    private Decision<IPoolEvent> DecideClose()
    {
        if (!IsOpen) return Decision<IPoolEvent>.Answer(new PoolClosed());
        var endpoints = EndpointCount;
        if (endpoints > 0)
            return Decision<IPoolEvent>.Refuse(ApiError.Conflict($"cannot delete {NetworkName} has {endpoints} endpoints"));
        if (!IpamHolders.IsEmpty)
            return Decision<IPoolEvent>.Refuse(ApiError.Conflict(
                $"cannot delete {NetworkName}: Docker's IPAM holds {IpamHolders.Count} of its addresses ({AddressRanges.FormatAddresses(IpamHolders.Keys)}); " +
                "remove the Docker networks on it first (docker network rm)"));
        return Decision<IPoolEvent>.Persist(new PoolClosed(), new PoolClosedEvent());
    }

    private Decision<IPoolEvent> DecideAllocate(AllocateAddress request)
    {
        if (Spec is not { } spec) return Decision<IPoolEvent>.Refuse(ApiError.NotFound($"network {Name} not found"));
        if (AddressOf.TryGetValue(request.Owner, out var held)) return Decision<IPoolEvent>.Answer(Granted(request.Owner, held));

        (uint First, uint Last)? range = null;
        if (request.RangeOwner is not null)
        {
            if (!Ranges.TryGetValue(request.RangeOwner, out var r))
                return Decision<IPoolEvent>.Refuse(ApiError.NotFound($"no ipPool reserved for {request.RangeOwner} in network {Name}"));
            range = r;
        }

        uint address;
        if (!string.IsNullOrEmpty(request.Preferred))
        {
            if (!Ipv4.TryParse(request.Preferred, out address))
                return Decision<IPoolEvent>.Refuse(ApiError.Invalid($"ipAddress {request.Preferred} is not an IPv4 address"));
            if (!spec.Contains(address) || spec.IsReserved(address))
                return Decision<IPoolEvent>.Refuse(ApiError.Invalid($"ipAddress {request.Preferred} is not an allocatable address of network {Name} ({Subnet})"));
            if (HolderOf.TryGetValue(address, out var holder))
                return Decision<IPoolEvent>.Refuse(ApiError.Conflict($"ipAddress {request.Preferred} is already allocated in network {Name} (to {holder})"));
            if (!request.FromIpam && IpamHolders.TryGetValue(address, out var dockerHolders))
                return Decision<IPoolEvent>.Refuse(ApiError.Conflict(
                    $"ipAddress {request.Preferred} is held by Docker's IPAM in network {Name} ({string.Join(", ", dockerHolders)})"));
            var inRange = RangeHolding(address);
            if (range is { } wanted ? address < wanted.First || address > wanted.Last : inRange is not null)
                return Decision<IPoolEvent>.Refuse(ApiError.Conflict(range is null
                    ? $"ipAddress {request.Preferred} is reserved for the ipPool of {inRange}"
                    : $"ipAddress {request.Preferred} is outside the ipPool of {request.RangeOwner}"));
        }
        else
        {
            var free = range is { } r ? LowestFreeIn(r.First, r.Last) : LowestFreeOutsideRanges();
            if (free is null)
                return Decision<IPoolEvent>.Refuse(ApiError.Conflict(range is null
                    ? $"no free address in network {Name} ({Subnet}): all are allocated"
                    : $"no free address in the ipPool of {request.RangeOwner} in network {Name}"));
            address = free.Value;
        }
        return Decision<IPoolEvent>.Persist(Granted(request.Owner, address),
            new AddressAllocatedEvent(request.Owner, Ipv4.Format(address)));
    }

    private Decision<IPoolEvent> DecideReserve(ReserveRange request)
    {
        if (Spec is not { } spec) return Decision<IPoolEvent>.Refuse(ApiError.NotFound($"network {Name} not found"));
        if (!TryParseRange(request.Range, out var first, out var last))
            return Decision<IPoolEvent>.Refuse(ApiError.Invalid($"ipPool {request.Range} is not an address range a.b.c.d-a.b.c.e"));
        if (!spec.Contains(first) || !spec.Contains(last))
            return Decision<IPoolEvent>.Refuse(ApiError.Invalid($"ipPool {request.Range} is not inside subnet {Subnet} of network {Name}"));
        if (Ranges.TryGetValue(request.Owner, out var existing))
        {
            return existing == (first, last)
                ? Decision<IPoolEvent>.Answer(new RangeReserved(request.Owner, request.Range))
                : Decision<IPoolEvent>.Refuse(ApiError.Conflict("Cannot change IP pool after epg is created."));
        }
        foreach (var (owner, other) in Ranges)
        {
            if (first <= other.Last && other.First <= last)
                return Decision<IPoolEvent>.Refuse(ApiError.Conflict(
                    $"ipPool {request.Range} overlaps the ipPool {Ipv4.Format(other.First)}-{Ipv4.Format(other.Last)} of {owner}"));
        }
        foreach (var address in InUse())
        {
            if (address >= first && address <= last)
                return Decision<IPoolEvent>.Refuse(ApiError.Conflict(
                    $"ipPool {request.Range} includes {Ipv4.Format(address)}, already allocated to {HolderName(address)}"));
        }
        return Decision<IPoolEvent>.Persist(new RangeReserved(request.Owner, request.Range),
            new RangeReservedEvent(request.Owner, Ipv4.Format(first), Ipv4.Format(last)));
    }

    private Decision<IPoolEvent> DecideReleaseRange(string owner)
    {
        if (!Ranges.TryGetValue(owner, out var range)) return Decision<IPoolEvent>.Answer(new RangeReleased(owner));
        var inUse = InUse().Count(a => a >= range.First && a <= range.Last);
        if (inUse > 0)
            return Decision<IPoolEvent>.Refuse(ApiError.Conflict($"the ipPool of {owner} still has {inUse} allocated addresses"));
        return Decision<IPoolEvent>.Persist(new RangeReleased(owner), new RangeFreedEvent(owner));
    }

    private Decision<IPoolEvent> DecideInspect(string? rangeOwner)
    {
        if (Spec is not { } spec) return Decision<IPoolEvent>.Refuse(ApiError.NotFound($"network {Name} not found"));
        if (rangeOwner is null)
        {
            var free = Taken.FreeOffsets().Select(o => spec.First + o);
            var used = InUse().ToList();
            return Decision<IPoolEvent>.Answer(new PoolUsage(AddressRanges.FormatAddresses(used),
                AddressRanges.FormatAddresses(free), used.Count, EndpointCount));
        }
        if (!Ranges.TryGetValue(rangeOwner, out var range)) return Decision<IPoolEvent>.Answer(new PoolUsage("", "", 0, 0));
        var held = InUse().Where(a => a >= range.First && a <= range.Last).ToList();
        var available = Enumerable.Range(0, (int)(range.Last - range.First + 1))
            .Select(i => range.First + (uint)i)
            .Where(a => !IsHeld(a) && !spec.IsReserved(a));
        return Decision<IPoolEvent>.Answer(new PoolUsage(AddressRanges.FormatAddresses(held),
            AddressRanges.FormatAddresses(available), held.Count,
            held.Count(a => HolderOf.TryGetValue(a, out var owner) && owner.StartsWith(EndpointOwnerPrefix, StringComparison.Ordinal))));
    }

    private Decision<IPoolEvent> DecideReconcile(ReconcilePool request)
    {
        var open = DecideOpen(request.Subnet, request.Gateway);
        if (open.Refused) return open;
        var events = new List<IPoolEvent>(open.Events);
        var state = open.Events.Aggregate(this, (s, e) => s.Apply(e));
        var take = (IPoolEvent e) =>
        {
            events.Add(e);
            state = state.Apply(e);
        };
        var known = request.KnownOwners.ToHashSet();
        foreach (var (owner, address) in state.AddressOf)
        {
            if (owner.StartsWith(ServiceOwnerPrefix, StringComparison.Ordinal) && !known.Contains(owner))
                take(new AddressFreedEvent(owner, Ipv4.Format(address)));
        }
        foreach (var owner in state.Ranges.Keys)
        {
            if (!known.Contains(owner)) take(new RangeFreedEvent(owner));
        }
        var dropped = events.Count - open.Events.Length;
        var spec = state.Spec!;
        var unrestored = new List<string>();
        foreach (var holding in request.KnownAddresses.IsDefault ? [] : request.KnownAddresses)
        {
            if (state.AddressOf.ContainsKey(holding.Owner) || !Ipv4.TryParse(holding.Address, out var address)) continue;
            if (!spec.Contains(address) || spec.IsReserved(address) || state.IsHeld(address) || state.RangeHolding(address) is not null)
            {
                unrestored.Add(holding.Owner);
                continue;
            }
            take(new AddressAllocatedEvent(holding.Owner, Ipv4.Format(address)));
        }
        foreach (var range in request.KnownRanges.IsDefault ? [] : request.KnownRanges)
        {
            if (state.Ranges.ContainsKey(range.Owner) || !Ipv4.TryParse(range.First, out var first) || !Ipv4.TryParse(range.Last, out var last)) continue;
            if (first > last || !spec.Contains(first) || !spec.Contains(last)
                || state.Ranges.Values.Any(other => first <= other.Last && other.First <= last)
                || state.InUse().Any(a => a >= first && a <= last))
            {
                unrestored.Add(range.Owner);
                continue;
            }
            take(new RangeReservedEvent(range.Owner, Ipv4.Format(first), Ipv4.Format(last)));
        }
        return new Decision<IPoolEvent>([.. events], new PoolReconciled(dropped, events.Count - open.Events.Length - dropped,
            unrestored.Count == 0 ? null : string.Join(", ", unrestored)));
    }

    // ---- apply --------------------------------------------------------------------------------

    public IpPoolState Apply(IPoolEvent @event) => @event switch
    {
        PoolOpenedEvent opened => OpenedState(opened.Subnet, opened.Gateway),
        PoolClosedEvent => Closed(Name),
        AddressAllocatedEvent allocated => Hold(allocated.Owner, Ipv4.Parse(allocated.Address)),
        AddressFreedEvent freed => Free(freed.Owner),
        RangeReservedEvent reserved => ReserveRangeState(reserved.Owner, Ipv4.Parse(reserved.First), Ipv4.Parse(reserved.Last)),
        RangeFreedEvent freed => FreeRangeState(freed.Owner),
        IpamAddressHeldEvent held => IpamHold(held.Holder, Ipv4.Parse(held.Address)),
        IpamAddressReleasedEvent released => IpamRelease(released.Holder, Ipv4.Parse(released.Address)),
        _ => this,
    };

    private IpPoolState OpenedState(string subnet, string? gateway)
    {
        var spec = SubnetSpec.Parse(subnet);
        var taken = AddressBitmap.Empty(spec.Size);
        if (spec.PrefixLength < 31)
        {
            if (spec.Contains(spec.PrefixBase)) taken = taken.Set(spec.PrefixBase - spec.First, true);
            if (spec.Contains(spec.Broadcast)) taken = taken.Set(spec.Broadcast - spec.First, true);
        }
        var state = Closed(Name) with { Subnet = subnet, Spec = spec, Gateway = gateway, Taken = taken };
        return gateway is not null && Ipv4.TryParse(gateway, out var gw) ? state.Hold(GatewayOwner, gw) : state;
    }

    private IpPoolState Hold(string owner, uint address)
    {
        var spec = Spec!;
        return this with
        {
            AddressOf = AddressOf.SetItem(owner, address),
            HolderOf = HolderOf.SetItem(address, owner),
            Taken = spec.Contains(address) ? Taken.Set(address - spec.First, true) : Taken,
        };
    }

    private IpPoolState Free(string owner)
    {
        if (!AddressOf.TryGetValue(owner, out var address)) return this;
        var spec = Spec!;
        var stillTaken = RangeHolding(address) is not null || spec.IsReserved(address) || IpamHolders.ContainsKey(address);
        return this with
        {
            AddressOf = AddressOf.Remove(owner),
            HolderOf = HolderOf.Remove(address),
            Taken = spec.Contains(address) && !stillTaken ? Taken.Set(address - spec.First, false) : Taken,
        };
    }

    private IpPoolState ReserveRangeState(string owner, uint first, uint last)
    {
        var spec = Spec!;
        var taken = Taken;
        for (var a = first; a <= last && a >= first; a++) taken = taken.Set(a - spec.First, true);
        return this with { Ranges = Ranges.SetItem(owner, (first, last)), Taken = taken };
    }

    private IpPoolState FreeRangeState(string owner)
    {
        if (!Ranges.TryGetValue(owner, out var range)) return this;
        var spec = Spec!;
        var taken = Taken;
        for (var a = range.First; a <= range.Last && a >= range.First; a++)
        {
            if (!IsHeld(a) && !spec.IsReserved(a)) taken = taken.Set(a - spec.First, false);
        }
        return this with { Ranges = Ranges.Remove(owner), Taken = taken };
    }

    // ---- helpers ------------------------------------------------------------------------------

    private string NetworkName => Name.Contains(':') ? Name[(Name.IndexOf(':') + 1)..] : Name;

    private AddressGranted Granted(string owner, uint address) =>
        new(owner, Ipv4.Format(address), Ipv4.MacFor(address), Spec!.PrefixLength, Gateway);

    /// <summary>Every address an owner or Docker's IPAM holds, ascending.</summary>
    private IEnumerable<uint> InUse() => HolderOf.Keys.Union(IpamHolders.Keys).Order();

    private bool IsHeld(uint address) => HolderOf.ContainsKey(address) || IpamHolders.ContainsKey(address);

    private string HolderName(uint address) =>
        HolderOf.TryGetValue(address, out var owner) ? owner : $"Docker's IPAM ({string.Join(", ", IpamHolders[address])})";

    private string? RangeHolding(uint address)
    {
        foreach (var (owner, range) in Ranges)
        {
            if (address >= range.First && address <= range.Last) return owner;
        }
        return null;
    }

    private uint? LowestFreeOutsideRanges() => Taken.LowestFree() is { } offset ? Spec!.First + offset : null;

    private uint? LowestFreeIn(uint first, uint last)
    {
        for (var a = first; a <= last && a >= first; a++)
        {
            if (!IsHeld(a) && !Spec!.IsReserved(a)) return a;
        }
        return null;
    }

    public static bool TryParseRange(string text, out uint first, out uint last)
    {
        first = last = 0;
        var parts = text.Split('-');
        if (parts.Length == 1) return Ipv4.TryParse(parts[0], out first) && Ipv4.TryParse(parts[0], out last);
        return parts.Length == 2 && Ipv4.TryParse(parts[0], out first) && Ipv4.TryParse(parts[1], out last) && first <= last;
    }
}
