using System.Collections.Immutable;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;

namespace Contiv.Messages.Tenancy;

/// <summary>A tenant's state as saved in the snapshot store.</summary>
public sealed record TenantSnapshot(
    bool Exists,
    TenantConfig Config,
    ImmutableArray<NetworkSnapshot> Networks,
    ImmutableArray<EndpointGroupConfig> Groups,
    ImmutableArray<PolicyConfig> Policies,
    ImmutableArray<RuleConfig> Rules,
    ImmutableArray<NetProfileConfig> NetProfiles,
    ImmutableArray<AppProfileConfig> AppProfiles,
    ImmutableArray<ExtContractsGroupConfig> ExtContractsGroups,
    ImmutableArray<ServiceLbSnapshot> ServiceLbs,
    ImmutableArray<string> PendingPoolWork,
    ImmutableArray<GroupAppProfileLink> AppProfileLinks,
    int Id = 0,
    ImmutableArray<EndpointSnapshot> Endpoints = default) : Serialization.IContivPersisted;

public sealed record EndpointSnapshot(string Id, Endpoints.EndpointSpec Spec, Endpoints.EndpointInfo? Info);

public sealed record NetworkSnapshot(NetworkConfig Config, NetworkTags Tags);

public sealed record ServiceLbSnapshot(ServiceLbConfig Config, string Vip);

public sealed record GroupAppProfileLink(string Group, string AppProfile);
