using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Contiv.Messages.Model;

namespace Contiv.Messages.Validation;

/// <summary>A field check of the v1 model, named by the field's JSON name.</summary>
public abstract record FieldRule(string Field);

/// <summary>
/// A string field: at most <paramref name="MaxLength"/> UTF-8 bytes, matching <paramref name="Format"/>.
/// Null or empty is refused when <paramref name="Required"/> (saying <paramref name="Expected"/>, what
/// the field must hold), and otherwise not checked.
/// </summary>
public sealed record StringRule(
    string Field, Func<IConfigObject, string?> Get, Regex? Format, int? MaxLength, bool Required = false, string? Expected = null)
    : FieldRule(Field);

/// <summary>An int field bounded to <paramref name="Min"/>..<paramref name="Max"/> inclusive.</summary>
public sealed record IntRule(string Field, Func<IConfigObject, int> Get, int Min, int Max)
    : FieldRule(Field);

/// <summary>A list of strings: every element non-empty, at most <paramref name="ElementMaxLength"/> UTF-8 bytes and matching <paramref name="ElementFormat"/>.</summary>
public sealed record StringListRule(
    string Field, Func<IConfigObject, ImmutableArray<string>?> Get, Regex? ElementFormat, int? ElementMaxLength)
    : FieldRule(Field);

/// <summary>
/// The field rules of each kind, from the original model's <c>cfgProperties</c> (format, length,
/// min/max). Per kind the rules are listed in the original's check order (JSON names sorted
/// ordinally), so the first error reported is the one the original reported.
/// Additions over the schemas: ints also have a lower bound of 0; every key field matches the
/// name regex (netprofile tenantName and profileName have none in the schema, and a key must not
/// contain ':' or '/'); the endpoint group's netProfile, a profile name, matches it too; list
/// elements are non-empty, and policies/endpointGroups elements are names.
/// Required are the fields whose original format does not match an empty string (the original
/// checked every field against its format, so it refused those empty): every key field, network
/// encap and subnet, group and service networkName, rule direction and action, global vlans,
/// vxlans and pvtSubnet, Bgp routerip. Network nwType is too, but it has a default.
/// </summary>
public static class FieldRules
{
    private const int NameLength = 64;

    private static readonly IReadOnlyList<FieldRule> Tenant =
    [
        Str("defaultNetwork", (TenantConfig o) => o.DefaultNetwork, Formats.NameReference, NameLength),
        Str("tenantName", (TenantConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> Network =
    [
        Str("cfgdTag", (NetworkConfig o) => o.CfgdTag, Formats.Tag, 128),
        Required("encap", (NetworkConfig o) => o.Encap, Formats.Encap, "vlan or vxlan"),
        Str("gateway", (NetworkConfig o) => o.Gateway, Formats.OptionalIpv4),
        Str("ipv6Gateway", (NetworkConfig o) => o.Ipv6Gateway, Formats.Ipv6Gateway),
        Str("ipv6Subnet", (NetworkConfig o) => o.Ipv6Subnet, Formats.Ipv6Subnet),
        Str("networkName", (NetworkConfig o) => o.NetworkName, Formats.Name, NameLength),
        Str("nwType", (NetworkConfig o) => o.NwType, Formats.NwType),
        Int("pktTag", (NetworkConfig o) => o.PktTag, 0, 16777216),
        Required("subnet", (NetworkConfig o) => o.Subnet, Formats.Subnet, "a.b.c.d/len or a.b.c.d-a.b.c.e/len"),
        Str("tenantName", (NetworkConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> EndpointGroup =
    [
        Str("cfgdTag", (EndpointGroupConfig o) => o.CfgdTag, Formats.Tag, 128),
        List("extContractsGrps", (EndpointGroupConfig o) => o.ExtContractsGrps),
        Str("groupName", (EndpointGroupConfig o) => o.GroupName, Formats.Name, NameLength),
        Str("ipPool", (EndpointGroupConfig o) => o.IpPool, Formats.IpPool),
        Str("netProfile", (EndpointGroupConfig o) => o.NetProfile, Formats.Name, NameLength),
        Required("networkName", (EndpointGroupConfig o) => o.NetworkName, Formats.Name, "the network the group is in", NameLength),
        List("policies", (EndpointGroupConfig o) => o.Policies, Formats.Name, NameLength),
        Str("tenantName", (EndpointGroupConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> Policy =
    [
        Str("policyName", (PolicyConfig o) => o.PolicyName, Formats.Name, NameLength),
        Str("tenantName", (PolicyConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> Rule =
    [
        Required("action", (RuleConfig o) => o.Action, Formats.Action, "allow or deny"),
        Required("direction", (RuleConfig o) => o.Direction, Formats.Direction, "in or out"),
        Str("fromEndpointGroup", (RuleConfig o) => o.FromEndpointGroup, Formats.NameReference, NameLength),
        Str("fromIpAddress", (RuleConfig o) => o.FromIpAddress, Formats.RuleIpAddress),
        Str("fromNetwork", (RuleConfig o) => o.FromNetwork, Formats.NameReference, NameLength),
        Str("policyName", (RuleConfig o) => o.PolicyName, Formats.Name, NameLength),
        Int("port", (RuleConfig o) => o.Port, 0, 65535),
        Int("priority", (RuleConfig o) => o.Priority ?? ModelDefaults.DefaultRulePriority, 1, 100),
        Str("protocol", (RuleConfig o) => o.Protocol, Formats.Protocol),
        Str("ruleId", (RuleConfig o) => o.RuleId, Formats.Name, NameLength),
        Str("tenantName", (RuleConfig o) => o.TenantName, Formats.Name, NameLength),
        Str("toEndpointGroup", (RuleConfig o) => o.ToEndpointGroup, Formats.NameReference, NameLength),
        Str("toIpAddress", (RuleConfig o) => o.ToIpAddress, Formats.RuleIpAddress),
        Str("toNetwork", (RuleConfig o) => o.ToNetwork, Formats.NameReference, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> Global =
    [
        Str("arpMode", (GlobalConfig o) => o.ArpMode, Formats.ArpMode, 64),
        Str("fwdMode", (GlobalConfig o) => o.FwdMode, Formats.FwdMode, 64),
        Str("name", (GlobalConfig o) => o.Name, Formats.GlobalName, 64),
        Str("networkInfraType", (GlobalConfig o) => o.NetworkInfraType, Formats.NetworkInfraType, 64),
        Required("pvtSubnet", (GlobalConfig o) => o.PvtSubnet, Formats.PvtSubnet, "a.b.c.d/16"),
        Required("vlans", (GlobalConfig o) => o.Vlans, Formats.Vlans, "a range such as 1-4094"),
        Required("vxlans", (GlobalConfig o) => o.Vxlans, Formats.Vxlans, "a range such as 1-10000"),
    ];

    private static readonly IReadOnlyList<FieldRule> NetProfile =
    [
        Int("DSCP", (NetProfileConfig o) => o.Dscp, 0, 63),
        Str("bandwidth", (NetProfileConfig o) => o.Bandwidth, Formats.Bandwidth, 64),
        Int("burst", (NetProfileConfig o) => o.Burst, 0, 10486),
        Str("profileName", (NetProfileConfig o) => o.ProfileName, Formats.Name, NameLength),
        Str("tenantName", (NetProfileConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> AppProfile =
    [
        Str("appProfileName", (AppProfileConfig o) => o.AppProfileName, Formats.Name, NameLength),
        List("endpointGroups", (AppProfileConfig o) => o.EndpointGroups, Formats.Name, NameLength),
        Str("tenantName", (AppProfileConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> ExtContractsGroup =
    [
        List("contracts", (ExtContractsGroupConfig o) => o.Contracts),
        Str("contractsGroupName", (ExtContractsGroupConfig o) => o.ContractsGroupName, Formats.Name, NameLength),
        Str("tenantName", (ExtContractsGroupConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> ServiceLb =
    [
        Str("ipAddress", (ServiceLbConfig o) => o.IpAddress, Formats.OptionalIpv4, 15),
        Required("networkName", (ServiceLbConfig o) => o.NetworkName, Formats.Name, "the network the service is in", NameLength),
        List("ports", (ServiceLbConfig o) => o.Ports, maxLength: 32),
        List("selectors", (ServiceLbConfig o) => o.Selectors, maxLength: 512),
        Str("serviceName", (ServiceLbConfig o) => o.ServiceName, Formats.Name, 256),
        Str("tenantName", (ServiceLbConfig o) => o.TenantName, Formats.Name, NameLength),
    ];

    private static readonly IReadOnlyList<FieldRule> Bgp =
    [
        Str("as", (BgpConfig o) => o.As, maxLength: 64),
        Str("hostname", (BgpConfig o) => o.Hostname, Formats.Name, 256),
        Str("neighbor", (BgpConfig o) => o.Neighbor, Formats.OptionalIpv4, 15),
        Str("neighbor-as", (BgpConfig o) => o.NeighborAs, maxLength: 64),
        Required("routerip", (BgpConfig o) => o.RouterIp, Formats.RouterIp, "a.b.c.d/len"),
    ];

    /// <summary>The rules of a kind, in check order.</summary>
    public static IReadOnlyList<FieldRule> For(ObjectKind kind) => kind switch
    {
        ObjectKind.Tenant => Tenant,
        ObjectKind.Network => Network,
        ObjectKind.EndpointGroup => EndpointGroup,
        ObjectKind.Policy => Policy,
        ObjectKind.Rule => Rule,
        ObjectKind.Global => Global,
        ObjectKind.NetProfile => NetProfile,
        ObjectKind.AppProfile => AppProfile,
        ObjectKind.ExtContractsGroup => ExtContractsGroup,
        ObjectKind.ServiceLb => ServiceLb,
        ObjectKind.Bgp => Bgp,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown object kind"),
    };

    /// <summary>The string rule of a key field of <paramref name="kind"/> (every key field has one).</summary>
    public static StringRule KeyRule(ObjectKind kind, string field) =>
        For(kind).OfType<StringRule>().FirstOrDefault(r => r.Field == field)
        ?? throw new InvalidOperationException($"no rule for key field {field} of {kind}");

    private static StringRule Str<T>(string field, Func<T, string?> get, Regex? format = null, int? maxLength = null)
        where T : IConfigObject =>
        new(field, o => get((T)o), format, maxLength);

    private static StringRule Required<T>(string field, Func<T, string?> get, Regex format, string expected, int? maxLength = null)
        where T : IConfigObject =>
        new(field, o => get((T)o), format, maxLength, Required: true, Expected: expected);

    private static IntRule Int<T>(string field, Func<T, int> get, int min, int max) where T : IConfigObject =>
        new(field, o => get((T)o), min, max);

    private static StringListRule List<T>(
        string field, Func<T, ImmutableArray<string>?> get, Regex? format = null, int? maxLength = null)
        where T : IConfigObject =>
        new(field, o => get((T)o), format, maxLength);
}
