using System.Collections.Immutable;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Tenants;

public sealed record NetworkEntry(NetworkConfig Config, NetworkTags Tags);

public sealed record ServiceLbEntry(ServiceLbConfig Config, string Vip);

/// <summary>An endpoint of the tenant: registered when its create starts, with its address once it holds one.</summary>
public sealed record TenantEndpoint(string Id, Messages.Endpoints.EndpointSpec Spec, Messages.Endpoints.EndpointInfo? Info);

/// <summary>
/// Everything a tenant owns, the consistency boundary for references between its objects.
/// Pure: <see cref="Apply"/> folds events; the rules that produce them live in <see cref="TenantRules"/>.
/// </summary>
public sealed record TenantState
{
    public string Name { get; init; } = "";
    public bool Exists { get; init; }
    /// <summary>The tenant's number from <c>global</c> (its VRF and conntrack zone); 0 until known.</summary>
    public int Id { get; init; }
    public TenantConfig Config { get; init; } = new();
    public ImmutableSortedDictionary<string, NetworkEntry> Networks { get; init; } = ImmutableSortedDictionary<string, NetworkEntry>.Empty;
    public ImmutableSortedDictionary<string, EndpointGroupConfig> Groups { get; init; } = ImmutableSortedDictionary<string, EndpointGroupConfig>.Empty;
    public ImmutableSortedDictionary<string, PolicyConfig> Policies { get; init; } = ImmutableSortedDictionary<string, PolicyConfig>.Empty;
    /// <summary>Keyed <c>policy:ruleId</c>.</summary>
    public ImmutableSortedDictionary<string, RuleConfig> Rules { get; init; } = ImmutableSortedDictionary<string, RuleConfig>.Empty;
    public ImmutableSortedDictionary<string, NetProfileConfig> NetProfiles { get; init; } = ImmutableSortedDictionary<string, NetProfileConfig>.Empty;
    public ImmutableSortedDictionary<string, AppProfileConfig> AppProfiles { get; init; } = ImmutableSortedDictionary<string, AppProfileConfig>.Empty;
    public ImmutableSortedDictionary<string, ExtContractsGroupConfig> ExtContractsGroups { get; init; } = ImmutableSortedDictionary<string, ExtContractsGroupConfig>.Empty;
    public ImmutableSortedDictionary<string, ServiceLbEntry> ServiceLbs { get; init; } = ImmutableSortedDictionary<string, ServiceLbEntry>.Empty;
    /// <summary>The app profile each group links to: the last one saved with it, as in the original.</summary>
    public ImmutableSortedDictionary<string, string> AppProfileOfGroup { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    public ImmutableSortedDictionary<string, TenantEndpoint> Endpoints { get; init; } = ImmutableSortedDictionary<string, TenantEndpoint>.Empty.WithComparers(StringComparer.Ordinal);
    /// <summary>Networks whose pool may disagree with this tenant after a crash mid-saga.</summary>
    public ImmutableSortedSet<string> PendingPoolWork { get; init; } = [];

    /// <summary>A tenant that has never been written. Tenant <c>default</c> exists from the first start.</summary>
    public static TenantState Initial(string name) => new()
    {
        Name = name,
        Exists = name == Global.GlobalDefaults.DefaultTenant,
        Id = name == Global.GlobalDefaults.DefaultTenant ? Global.GlobalDefaults.DefaultTenantId : 0,
        Config = new TenantConfig { TenantName = name },
    };

    /// <summary>Never made, or deleted with nothing left over: an entity of it is only a name someone asked about.</summary>
    public bool HoldsNothing => !Exists && Networks.IsEmpty && Endpoints.IsEmpty && PendingPoolWork.IsEmpty;

    public static string RuleKey(string policy, string ruleId) => $"{policy}:{ruleId}";

    public IEnumerable<TenantEndpoint> EndpointsIn(string network) => Endpoints.Values.Where(e => e.Spec.Network == network);

    public IEnumerable<TenantEndpoint> EndpointsOf(string group) => Endpoints.Values.Where(e => e.Spec.Group == group);

    public IEnumerable<RuleConfig> RulesOf(string policy) =>
        Rules.Values.Where(r => r.PolicyName == policy);

    public TenantState Apply(ITenantEvent @event) => ApplyChange(@event) with { PendingPoolWork = PendingAfter(@event) };

    private ImmutableSortedSet<string> PendingAfter(ITenantEvent @event) => @event switch
    {
        PoolWorkStartedEvent started => PendingPoolWork.Add(started.Network),
        PoolWorkEndedEvent ended => PendingPoolWork.Remove(ended.Network),
        NetworkDeletedEvent deleted => PendingPoolWork.Remove(deleted.Name),
        EndpointGroupSavedEvent saved => PendingPoolWork.Remove(saved.Config.NetworkName!),
        EndpointGroupDeletedEvent deleted when Groups.TryGetValue(deleted.Name, out var group) => PendingPoolWork.Remove(group.NetworkName!),
        ServiceLbSavedEvent saved => PendingPoolWork.Remove(saved.Config.NetworkName!),
        ServiceLbDeletedEvent deleted when ServiceLbs.TryGetValue(deleted.Name, out var service) => PendingPoolWork.Remove(service.Config.NetworkName!),
        _ => PendingPoolWork,
    };

    private TenantState ApplyChange(ITenantEvent @event) => @event switch
    {
        TenantCreatedEvent created => Initial(Name) with { Exists = true, Config = created.Config, Id = created.Id, PendingPoolWork = PendingPoolWork },
        TenantDeletedEvent => Initial(Name) with { Exists = false },
        TenantNumberedEvent numbered => this with { Id = numbered.Id },
        NetworkCreatedEvent created => this with { Networks = Networks.SetItem(created.Config.NetworkName!, new NetworkEntry(created.Config, created.Tags)) },
        NetworkDeletedEvent deleted => this with { Networks = Networks.Remove(deleted.Name) },
        EndpointGroupSavedEvent saved => this with { Groups = Groups.SetItem(saved.Config.GroupName!, saved.Config) },
        EndpointGroupDeletedEvent deleted => this with { Groups = Groups.Remove(deleted.Name) },
        PolicySavedEvent saved => this with { Policies = Policies.SetItem(saved.Config.PolicyName!, saved.Config) },
        PolicyDeletedEvent deleted => this with
        {
            Policies = Policies.Remove(deleted.Name),
            Rules = Rules.RemoveRange(RulesOf(deleted.Name).Select(r => RuleKey(r.PolicyName!, r.RuleId!))),
        },
        RuleAddedEvent added => this with { Rules = Rules.SetItem(RuleKey(added.Config.PolicyName!, added.Config.RuleId!), added.Config) },
        RuleDeletedEvent deleted => this with { Rules = Rules.Remove(RuleKey(deleted.PolicyName, deleted.RuleId)) },
        NetProfileSavedEvent saved => this with { NetProfiles = NetProfiles.SetItem(saved.Config.ProfileName!, saved.Config) },
        NetProfileDeletedEvent deleted => this with { NetProfiles = NetProfiles.Remove(deleted.Name) },
        AppProfileSavedEvent saved => this with
        {
            AppProfiles = AppProfiles.SetItem(saved.Config.AppProfileName!, saved.Config),
            AppProfileOfGroup = AppProfileOfGroup
                .RemoveRange(AppProfileOfGroup.Where(l => l.Value == saved.Config.AppProfileName).Select(l => l.Key))
                .SetItems((saved.Config.EndpointGroups ?? []).Select(g => KeyValuePair.Create(g, saved.Config.AppProfileName!))),
        },
        AppProfileDeletedEvent deleted => this with
        {
            AppProfiles = AppProfiles.Remove(deleted.Name),
            // As the original: deleting a profile clears the link of every group it lists.
            AppProfileOfGroup = AppProfileOfGroup.RemoveRange(AppProfiles.TryGetValue(deleted.Name, out var gone) ? gone.EndpointGroups ?? [] : []),
        },
        ExtContractsGroupSavedEvent saved => this with { ExtContractsGroups = ExtContractsGroups.SetItem(saved.Config.ContractsGroupName!, saved.Config) },
        ExtContractsGroupDeletedEvent deleted => this with { ExtContractsGroups = ExtContractsGroups.Remove(deleted.Name) },
        ServiceLbSavedEvent saved => this with { ServiceLbs = ServiceLbs.SetItem(saved.Config.ServiceName!, new ServiceLbEntry(saved.Config, saved.Vip)) },
        ServiceLbDeletedEvent deleted => this with { ServiceLbs = ServiceLbs.Remove(deleted.Name) },
        EndpointRegisteredEvent registered => this with { Endpoints = Endpoints.SetItem(registered.Id, new TenantEndpoint(registered.Id, registered.Spec, null)) },
        EndpointRecordedEvent recorded when Endpoints.TryGetValue(recorded.Endpoint.Id, out var endpoint) =>
            this with { Endpoints = Endpoints.SetItem(endpoint.Id, endpoint with { Info = recorded.Endpoint }) },
        EndpointUnregisteredEvent unregistered => this with { Endpoints = Endpoints.Remove(unregistered.Id) },
        _ => this,
    };

    /// <summary>Owners this tenant knows in a network's pool (services and group ranges), for reconciliation.</summary>
    public ImmutableArray<string> PoolOwnersIn(string network) =>
    [
        .. ServiceLbs.Values.Where(s => s.Config.NetworkName == network).Select(s => Pools.IpPoolState.ServiceOwnerPrefix + s.Config.ServiceName),
        .. Groups.Values.Where(g => g.NetworkName == network && g.IpPool is not null).Select(g => Pools.IpPoolState.GroupOwnerPrefix + g.GroupName),
    ];

    /// <summary>The service addresses this tenant records in a network's pool, for reconciliation.</summary>
    public ImmutableArray<Messages.Pools.PoolHolding> PoolAddressesIn(string network) =>
    [
        .. ServiceLbs.Values.Where(s => s.Config.NetworkName == network)
            .Select(s => new Messages.Pools.PoolHolding(Pools.IpPoolState.ServiceOwnerPrefix + s.Config.ServiceName, s.Vip)),
    ];

    /// <summary>The group ranges (ipPools) this tenant records in a network's pool, for reconciliation.</summary>
    public ImmutableArray<Messages.Pools.PoolRange> PoolRangesIn(string network) =>
    [
        .. Groups.Values
            .Where(g => g.NetworkName == network && g.IpPool is not null && Pools.IpPoolState.TryParseRange(g.IpPool, out _, out _))
            .Select(g =>
            {
                Pools.IpPoolState.TryParseRange(g.IpPool!, out var first, out var last);
                return new Messages.Pools.PoolRange(Pools.IpPoolState.GroupOwnerPrefix + g.GroupName,
                    Messages.Addressing.Ipv4.Format(first), Messages.Addressing.Ipv4.Format(last));
            }),
    ];
}
