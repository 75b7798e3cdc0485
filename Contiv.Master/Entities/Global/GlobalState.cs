using System.Collections.Immutable;
using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;

namespace Contiv.Master.Entities.Global;

/// <summary>
/// The cluster-wide settings and allocators: VLANs from the vlan range, VNIs from the vxlan range and a
/// host-local VLAN per vxlan network (1-4094, separate from the vlan range as in the original), each held
/// by an owner (<c>tenant:network</c>) so that every allocation is idempotent and can be reconciled.
/// </summary>
public sealed record GlobalState
{
    public const int LocalVlanMax = 4094;

    public GlobalConfig Config { get; init; } = GlobalDefaults.Config("bridge");
    public bool Initialized { get; init; }
    public ImmutableSortedDictionary<string, NetworkTags> TagsOf { get; init; } = ImmutableSortedDictionary<string, NetworkTags>.Empty;
    public ImmutableSortedSet<int> VlansInUse { get; init; } = [];
    public ImmutableSortedSet<int> VnisInUse { get; init; } = [];
    public ImmutableSortedSet<int> LocalVlansInUse { get; init; } = [];
    /// <summary>Tenant name → its number: the VRF and conntrack zone of its traffic on every host. The default tenant is 1.</summary>
    public ImmutableSortedDictionary<string, int> Tenants { get; init; } =
        ImmutableSortedDictionary<string, int>.Empty.Add(GlobalDefaults.DefaultTenant, GlobalDefaults.DefaultTenantId);
    /// <summary>The highest tenant number ever given (numbers of deleted tenants are not reused).</summary>
    public int HighestTenantId { get; init; } = GlobalDefaults.DefaultTenantId;
    public ImmutableSortedDictionary<string, BgpConfig> Bgps { get; init; } = ImmutableSortedDictionary<string, BgpConfig>.Empty;

    public int NetworkCount => TagsOf.Count;

    public static GlobalState Initial(string fwdMode) => new() { Config = GlobalDefaults.Config(fwdMode) };

    // ---- decide -------------------------------------------------------------------------------

    public Decision<IGlobalEvent> DecideSave(GlobalConfig requested)
    {
        var merged = Merge(requested);
        if (!TagRange.TryParseVlans(merged.Vlans, out var vlans, out var vlanError))
            return Decision<IGlobalEvent>.Refuse(ApiError.Invalid(vlanError));
        if (!TagRange.TryParseVxlans(merged.Vxlans, out var vxlans, out var vxlanError))
            return Decision<IGlobalEvent>.Refuse(ApiError.Invalid(vxlanError));

        if (merged.FwdMode != Config.FwdMode)
        {
            if (NetworkCount > 0) return Decision<IGlobalEvent>.Refuse(ApiError.Conflict(ExistingNetworks("forwarding mode")));
            if (Config.FwdMode == "routing" && !Bgps.IsEmpty)
                return Decision<IGlobalEvent>.Refuse(ApiError.Conflict("please delete existing Bgp configs"));
        }
        if (merged.PvtSubnet != Config.PvtSubnet && NetworkCount > 0)
            return Decision<IGlobalEvent>.Refuse(ApiError.Conflict(ExistingNetworks("private subnet")));
        var vlansOutside = VlansInUse.Where(v => !vlans.Contains(v)).ToList();
        if (vlansOutside.Count > 0)
            return Decision<IGlobalEvent>.Refuse(ApiError.Conflict(
                $"Unable to update vlans to {merged.Vlans}: vlans in use {AddressRanges.FormatTags(vlansOutside)} would fall outside"));
        var vnisOutside = VnisInUse.Where(v => !vxlans.Contains(v)).ToList();
        if (vnisOutside.Count > 0)
            return Decision<IGlobalEvent>.Refuse(ApiError.Conflict(
                $"Unable to update vxlans to {merged.Vxlans}: vxlans in use {AddressRanges.FormatTags(vnisOutside)} would fall outside"));

        return merged == Config && Initialized
            ? Decision<IGlobalEvent>.Answer(new RenderView(ObjectKind.Global, GlobalDefaults.Name))
            : Decision<IGlobalEvent>.Persist(new RenderView(ObjectKind.Global, GlobalDefaults.Name), new GlobalConfigSavedEvent(merged));
    }

    /// <summary>Fields the request leaves out keep their value (netctl sends them all anyway).</summary>
    private GlobalConfig Merge(GlobalConfig requested) => Config with
    {
        NetworkInfraType = requested.NetworkInfraType ?? Config.NetworkInfraType,
        Vlans = requested.Vlans ?? Config.Vlans,
        Vxlans = requested.Vxlans ?? Config.Vxlans,
        FwdMode = requested.FwdMode ?? Config.FwdMode,
        ArpMode = requested.ArpMode ?? Config.ArpMode,
        PvtSubnet = requested.PvtSubnet ?? Config.PvtSubnet,
    };

    private string ExistingNetworks(string option)
    {
        var vlanNetworks = TagsOf.Values.Count(t => !t.IsVxlan);
        var vxlanNetworks = TagsOf.Count - vlanNetworks;
        var parts = new List<string>();
        if (vlanNetworks > 0) parts.Add($"{vlanNetworks} vlans");
        if (vxlanNetworks > 0) parts.Add($"{vxlanNetworks} vxlans");
        return $"Unable to update {option} due to existing {string.Join(" and ", parts)}";
    }

    public Decision<IGlobalEvent> DecideAllocate(AllocateNetworkTags request)
    {
        if (TagsOf.TryGetValue(request.Owner, out var held))
        {
            return held.Encap == request.Encap && (request.RequestedTag == 0 || request.RequestedTag == (held.IsVxlan ? held.ExternalPktTag : held.PktTag))
                ? Decision<IGlobalEvent>.Answer(new NetworkTagsGranted(request.Owner, held))
                : Decision<IGlobalEvent>.Refuse(ApiError.Conflict($"network {request.Owner} already holds {held.Encap} tag {(held.IsVxlan ? held.ExternalPktTag : held.PktTag)}"));
        }
        NetworkTags tags;
        if (request.Encap == "vlan")
        {
            var range = TagRange.TryParseVlans(Config.Vlans, out var r, out _) ? r : new TagRange(1, TagRange.MaxVlan);
            var vlan = PickTag(request.RequestedTag, range, VlansInUse, "vlan");
            if (vlan.Error is { } error) return Decision<IGlobalEvent>.Refuse(error);
            tags = new NetworkTags("vlan", vlan.Tag, 0);
        }
        else if (request.Encap == "vxlan")
        {
            var range = TagRange.TryParseVxlans(Config.Vxlans, out var r, out _) ? r : new TagRange(1, 10000);
            var vni = PickTag(request.RequestedTag, range, VnisInUse, "vxlan");
            if (vni.Error is { } error) return Decision<IGlobalEvent>.Refuse(error);
            var local = PickTag(0, new TagRange(1, LocalVlanMax), LocalVlansInUse, "host-local vlan");
            if (local.Error is { } localError) return Decision<IGlobalEvent>.Refuse(localError);
            tags = new NetworkTags("vxlan", local.Tag, vni.Tag);
        }
        else
        {
            return Decision<IGlobalEvent>.Refuse(ApiError.Invalid($"encap {request.Encap} string invalid format"));
        }
        return Decision<IGlobalEvent>.Persist(new NetworkTagsGranted(request.Owner, tags), new NetworkTagsTakenEvent(request.Owner, tags));
    }

    private static (int Tag, ApiError? Error) PickTag(int requested, TagRange range, ImmutableSortedSet<int> inUse, string what)
    {
        if (requested != 0)
        {
            if (!range.Contains(requested))
                return (0, ApiError.Conflict($"requested {what} not available - {what}:{requested} is outside the range {range}"));
            if (inUse.Contains(requested))
                return (0, ApiError.Conflict($"requested {what} not available - {what}:{requested}"));
            return (requested, null);
        }
        for (var tag = range.Min; tag <= range.Max; tag++)
        {
            if (!inUse.Contains(tag)) return (tag, null);
        }
        return (0, ApiError.Conflict($"no free {what} in the range {range}"));
    }

    public Decision<IGlobalEvent> DecideRelease(string owner) =>
        TagsOf.ContainsKey(owner)
            ? Decision<IGlobalEvent>.Persist(new NetworkTagsReleased(owner), new NetworkTagsFreedEvent(owner))
            : Decision<IGlobalEvent>.Answer(new NetworkTagsReleased(owner));

    public Decision<IGlobalEvent> DecideRegisterTenant(string name) =>
        Tenants.TryGetValue(name, out var id)
            ? Decision<IGlobalEvent>.Answer(new TenantRegistered(name, id))
            : Decision<IGlobalEvent>.Persist(new TenantRegistered(name, NextTenantId), new TenantRegisteredEvent(name, NextTenantId));

    /// <summary>Numbers are not reused: a conntrack zone of a deleted tenant may still hold entries.</summary>
    private int NextTenantId => Math.Max(Tenants.Values.Max(), HighestTenantId) + 1;

    public Decision<IGlobalEvent> DecideUnregisterTenant(string name) =>
        Tenants.ContainsKey(name)
            ? Decision<IGlobalEvent>.Persist(new TenantNames([.. Tenants.Remove(name).Keys]), new TenantUnregisteredEvent(name))
            : Decision<IGlobalEvent>.Answer(new TenantNames([.. Tenants.Keys]));

    public Decision<IGlobalEvent> DecideSaveBgp(BgpConfig bgp)
    {
        return Bgps.TryGetValue(bgp.Key, out var existing) && existing == bgp
            ? Decision<IGlobalEvent>.Answer(new RenderView(ObjectKind.Bgp, bgp.Key))
            : Decision<IGlobalEvent>.Persist(new RenderView(ObjectKind.Bgp, bgp.Key), new BgpSavedEvent(bgp));
    }

    public Decision<IGlobalEvent> DecideDeleteBgp(string hostname) =>
        Bgps.ContainsKey(hostname)
            ? Decision<IGlobalEvent>.Persist(new DeletedKey(hostname), new BgpDeletedEvent(hostname))
            : Decision<IGlobalEvent>.Refuse(ApiError.NotFound($"Bgp {hostname} not found"));

    // ---- apply --------------------------------------------------------------------------------

    public GlobalState Apply(IGlobalEvent @event) => @event switch
    {
        GlobalConfigSavedEvent saved => this with { Config = saved.Config, Initialized = true },
        NetworkTagsTakenEvent taken => this with
        {
            TagsOf = TagsOf.SetItem(taken.Owner, taken.Tags),
            VlansInUse = taken.Tags.Vlan is { } vlan ? VlansInUse.Add(vlan) : VlansInUse,
            VnisInUse = taken.Tags.Vni is { } vni ? VnisInUse.Add(vni) : VnisInUse,
            LocalVlansInUse = taken.Tags.LocalVlan is { } local ? LocalVlansInUse.Add(local) : LocalVlansInUse,
        },
        NetworkTagsFreedEvent freed when TagsOf.TryGetValue(freed.Owner, out var tags) => this with
        {
            TagsOf = TagsOf.Remove(freed.Owner),
            VlansInUse = tags.Vlan is { } vlan ? VlansInUse.Remove(vlan) : VlansInUse,
            VnisInUse = tags.Vni is { } vni ? VnisInUse.Remove(vni) : VnisInUse,
            LocalVlansInUse = tags.LocalVlan is { } local ? LocalVlansInUse.Remove(local) : LocalVlansInUse,
        },
        TenantRegisteredEvent registered => this with
        {
            // Events written before tenants had numbers carry 0: number them in order.
            Tenants = Tenants.SetItem(registered.Name, registered.Id > 0 ? registered.Id : NextTenantId),
            HighestTenantId = Math.Max(HighestTenantId, registered.Id > 0 ? registered.Id : NextTenantId),
        },
        TenantUnregisteredEvent unregistered => this with { Tenants = Tenants.Remove(unregistered.Name) },
        BgpSavedEvent saved => this with { Bgps = Bgps.SetItem(saved.Config.Key, saved.Config) },
        BgpDeletedEvent deleted => this with { Bgps = Bgps.Remove(deleted.Hostname) },
        _ => this,
    };
}
