using System.Collections.Immutable;
using Contiv.Messages.Model;

namespace Contiv.Messages.Validation;

/// <summary>
/// Normalization of an incoming object before validation and storage: empty strings and empty
/// lists become null (the API omits them, so "" and absent are the same), and the schema defaults
/// are applied: network nwType <c>data</c>, rule priority 1 when 0. Netprofile DSCP defaults to 0,
/// which an int already is; global defaults are applied by the master, not here.
/// </summary>
public static class ModelDefaults
{
    public const string DefaultNwType = "data";
    public const int DefaultRulePriority = 1;

    public static T Normalize<T>(T obj) where T : IConfigObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        IConfigObject normalized = obj switch
        {
            TenantConfig o => o with
            {
                TenantName = S(o.TenantName),
                DefaultNetwork = S(o.DefaultNetwork),
            },
            NetworkConfig o => o with
            {
                TenantName = S(o.TenantName),
                NetworkName = S(o.NetworkName),
                NwType = S(o.NwType) ?? DefaultNwType,
                Encap = S(o.Encap),
                Subnet = S(o.Subnet),
                Gateway = S(o.Gateway),
                Ipv6Subnet = S(o.Ipv6Subnet),
                Ipv6Gateway = S(o.Ipv6Gateway),
                CfgdTag = S(o.CfgdTag),
            },
            EndpointGroupConfig o => o with
            {
                TenantName = S(o.TenantName),
                GroupName = S(o.GroupName),
                NetworkName = S(o.NetworkName),
                IpPool = S(o.IpPool),
                Policies = L(o.Policies),
                ExtContractsGrps = L(o.ExtContractsGrps),
                NetProfile = S(o.NetProfile),
                CfgdTag = S(o.CfgdTag),
            },
            PolicyConfig o => o with
            {
                TenantName = S(o.TenantName),
                PolicyName = S(o.PolicyName),
            },
            RuleConfig o => o with
            {
                TenantName = S(o.TenantName),
                PolicyName = S(o.PolicyName),
                RuleId = S(o.RuleId),
                Direction = S(o.Direction),
                Priority = o.Priority ?? DefaultRulePriority,
                FromEndpointGroup = S(o.FromEndpointGroup),
                ToEndpointGroup = S(o.ToEndpointGroup),
                FromNetwork = S(o.FromNetwork),
                ToNetwork = S(o.ToNetwork),
                FromIpAddress = S(o.FromIpAddress),
                ToIpAddress = S(o.ToIpAddress),
                Protocol = S(o.Protocol),
                Action = S(o.Action),
            },
            GlobalConfig o => o with
            {
                Name = S(o.Name),
                NetworkInfraType = S(o.NetworkInfraType),
                Vlans = S(o.Vlans),
                Vxlans = S(o.Vxlans),
                FwdMode = S(o.FwdMode),
                ArpMode = S(o.ArpMode),
                PvtSubnet = S(o.PvtSubnet),
            },
            NetProfileConfig o => o with
            {
                TenantName = S(o.TenantName),
                ProfileName = S(o.ProfileName),
                Bandwidth = S(o.Bandwidth),
            },
            AppProfileConfig o => o with
            {
                TenantName = S(o.TenantName),
                AppProfileName = S(o.AppProfileName),
                EndpointGroups = L(o.EndpointGroups),
            },
            ExtContractsGroupConfig o => o with
            {
                TenantName = S(o.TenantName),
                ContractsGroupName = S(o.ContractsGroupName),
                ContractsType = S(o.ContractsType),
                Contracts = L(o.Contracts),
            },
            ServiceLbConfig o => o with
            {
                TenantName = S(o.TenantName),
                ServiceName = S(o.ServiceName),
                NetworkName = S(o.NetworkName),
                IpAddress = S(o.IpAddress),
                Selectors = L(o.Selectors),
                Ports = L(o.Ports),
            },
            BgpConfig o => o with
            {
                Hostname = S(o.Hostname),
                RouterIp = S(o.RouterIp),
                As = S(o.As),
                NeighborAs = S(o.NeighborAs),
                Neighbor = S(o.Neighbor),
            },
            _ => throw new ArgumentException($"unknown configuration object {obj.GetType().Name}", nameof(obj)),
        };
        return (T)normalized;
    }

    private static string? S(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static ImmutableArray<string>? L(ImmutableArray<string>? values) =>
        values is { IsDefaultOrEmpty: false } ? values : null;
}
