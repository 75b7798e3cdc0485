using System.Text.Json.Serialization;
using Contiv.Collections;

namespace Contiv.Messages.Model;

/// <summary>
/// A writable configuration object of the v1 API. JSON names are the original model's; the
/// same records are echoed by REST and persisted in events, so a rename is a format change.
/// </summary>
public interface IConfigObject
{
    [JsonIgnore] ObjectKind Kind { get; }

    /// <summary>The object key as the API writes it: fields of <see cref="ObjectKinds.KeyFields"/> joined with ':'.</summary>
    [JsonIgnore] string Key { get; }

    /// <summary>The tenant the object lives in, or null for global objects.</summary>
    [JsonIgnore] string? Tenant { get; }
}

public sealed record TenantConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("defaultNetwork")] public string? DefaultNetwork { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.Tenant;
    [JsonIgnore] public string Key => TenantName ?? "";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record NetworkConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("networkName")] public string? NetworkName { get; init; }
    [JsonPropertyName("nwType")] public string? NwType { get; init; }
    [JsonPropertyName("encap")] public string? Encap { get; init; }
    [JsonPropertyName("pktTag")] public int PktTag { get; init; }
    [JsonPropertyName("subnet")] public string? Subnet { get; init; }
    [JsonPropertyName("gateway")] public string? Gateway { get; init; }
    [JsonPropertyName("ipv6Subnet")] public string? Ipv6Subnet { get; init; }
    [JsonPropertyName("ipv6Gateway")] public string? Ipv6Gateway { get; init; }
    [JsonPropertyName("cfgdTag")] public string? CfgdTag { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.Network;
    [JsonIgnore] public string Key => $"{TenantName}:{NetworkName}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record EndpointGroupConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("groupName")] public string? GroupName { get; init; }
    [JsonPropertyName("networkName")] public string? NetworkName { get; init; }
    [JsonPropertyName("ipPool")] public string? IpPool { get; init; }
    [JsonPropertyName("policies")] public ValueArray<string>? Policies { get; init; }
    [JsonPropertyName("extContractsGrps")] public ValueArray<string>? ExtContractsGrps { get; init; }
    [JsonPropertyName("netProfile")] public string? NetProfile { get; init; }
    [JsonPropertyName("cfgdTag")] public string? CfgdTag { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.EndpointGroup;
    [JsonIgnore] public string Key => $"{TenantName}:{GroupName}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record PolicyConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("policyName")] public string? PolicyName { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.Policy;
    [JsonIgnore] public string Key => $"{TenantName}:{PolicyName}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record RuleConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("policyName")] public string? PolicyName { get; init; }
    [JsonPropertyName("ruleId")] public string? RuleId { get; init; }
    [JsonPropertyName("direction")] public string? Direction { get; init; }
    [JsonPropertyName("priority")] public int? Priority { get; init; }
    [JsonPropertyName("fromEndpointGroup")] public string? FromEndpointGroup { get; init; }
    [JsonPropertyName("toEndpointGroup")] public string? ToEndpointGroup { get; init; }
    [JsonPropertyName("fromNetwork")] public string? FromNetwork { get; init; }
    [JsonPropertyName("toNetwork")] public string? ToNetwork { get; init; }
    [JsonPropertyName("fromIpAddress")] public string? FromIpAddress { get; init; }
    [JsonPropertyName("toIpAddress")] public string? ToIpAddress { get; init; }
    [JsonPropertyName("protocol")] public string? Protocol { get; init; }
    [JsonPropertyName("port")] public int Port { get; init; }
    [JsonPropertyName("action")] public string? Action { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.Rule;
    [JsonIgnore] public string Key => $"{TenantName}:{PolicyName}:{RuleId}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record GlobalConfig : IConfigObject
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("networkInfraType")] public string? NetworkInfraType { get; init; }
    [JsonPropertyName("vlans")] public string? Vlans { get; init; }
    [JsonPropertyName("vxlans")] public string? Vxlans { get; init; }
    [JsonPropertyName("fwdMode")] public string? FwdMode { get; init; }
    [JsonPropertyName("arpMode")] public string? ArpMode { get; init; }
    [JsonPropertyName("pvtSubnet")] public string? PvtSubnet { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.Global;
    [JsonIgnore] public string Key => Name ?? "";
    [JsonIgnore] public string? Tenant => null;
}

public sealed record NetProfileConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("profileName")] public string? ProfileName { get; init; }
    [JsonPropertyName("bandwidth")] public string? Bandwidth { get; init; }
    [JsonPropertyName("DSCP")] public int Dscp { get; init; }
    [JsonPropertyName("burst")] public int Burst { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.NetProfile;
    [JsonIgnore] public string Key => $"{TenantName}:{ProfileName}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record AppProfileConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("appProfileName")] public string? AppProfileName { get; init; }
    [JsonPropertyName("endpointGroups")] public ValueArray<string>? EndpointGroups { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.AppProfile;
    [JsonIgnore] public string Key => $"{TenantName}:{AppProfileName}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record ExtContractsGroupConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("contractsGroupName")] public string? ContractsGroupName { get; init; }
    [JsonPropertyName("contractsType")] public string? ContractsType { get; init; }
    [JsonPropertyName("contracts")] public ValueArray<string>? Contracts { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.ExtContractsGroup;
    [JsonIgnore] public string Key => $"{TenantName}:{ContractsGroupName}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record ServiceLbConfig : IConfigObject
{
    [JsonPropertyName("tenantName")] public string? TenantName { get; init; }
    [JsonPropertyName("serviceName")] public string? ServiceName { get; init; }
    [JsonPropertyName("networkName")] public string? NetworkName { get; init; }
    [JsonPropertyName("ipAddress")] public string? IpAddress { get; init; }
    [JsonPropertyName("selectors")] public ValueArray<string>? Selectors { get; init; }
    [JsonPropertyName("ports")] public ValueArray<string>? Ports { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.ServiceLb;
    [JsonIgnore] public string Key => $"{TenantName}:{ServiceName}";
    [JsonIgnore] public string? Tenant => TenantName;
}

public sealed record BgpConfig : IConfigObject
{
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    [JsonPropertyName("routerip")] public string? RouterIp { get; init; }
    [JsonPropertyName("as")] public string? As { get; init; }
    [JsonPropertyName("neighbor-as")] public string? NeighborAs { get; init; }
    [JsonPropertyName("neighbor")] public string? Neighbor { get; init; }

    [JsonIgnore] public ObjectKind Kind => ObjectKind.Bgp;
    [JsonIgnore] public string Key => Hostname ?? "";
    [JsonIgnore] public string? Tenant => null;
}
