namespace Contiv.Messages.Model;

/// <summary>The kinds of configuration object the v1 API knows, with their URL plurals and key shapes.</summary>
public enum ObjectKind
{
    Tenant,
    Network,
    EndpointGroup,
    Policy,
    Rule,
    Global,
    NetProfile,
    AppProfile,
    ExtContractsGroup,
    ServiceLb,
    Bgp,
}

public static class ObjectKinds
{
    private static readonly (ObjectKind Kind, string Plural, string Type, string[] KeyFields)[] Table =
    [
        (ObjectKind.Tenant, "tenants", "tenant", ["tenantName"]),
        (ObjectKind.Network, "networks", "network", ["tenantName", "networkName"]),
        (ObjectKind.EndpointGroup, "endpointGroups", "endpointGroup", ["tenantName", "groupName"]),
        (ObjectKind.Policy, "policys", "policy", ["tenantName", "policyName"]),
        (ObjectKind.Rule, "rules", "rule", ["tenantName", "policyName", "ruleId"]),
        (ObjectKind.Global, "globals", "global", ["name"]),
        (ObjectKind.NetProfile, "netprofiles", "netprofile", ["tenantName", "profileName"]),
        (ObjectKind.AppProfile, "appProfiles", "appProfile", ["tenantName", "appProfileName"]),
        (ObjectKind.ExtContractsGroup, "extContractsGroups", "extContractsGroup", ["tenantName", "contractsGroupName"]),
        (ObjectKind.ServiceLb, "serviceLBs", "serviceLB", ["tenantName", "serviceName"]),
        (ObjectKind.Bgp, "Bgps", "Bgp", ["hostname"]),
    ];

    public static IEnumerable<ObjectKind> All => Table.Select(t => t.Kind);

    /// <summary>The record a kind's JSON body reads into.</summary>
    public static Type ConfigType(this ObjectKind kind) => kind switch
    {
        ObjectKind.Tenant => typeof(TenantConfig),
        ObjectKind.Network => typeof(NetworkConfig),
        ObjectKind.EndpointGroup => typeof(EndpointGroupConfig),
        ObjectKind.Policy => typeof(PolicyConfig),
        ObjectKind.Rule => typeof(RuleConfig),
        ObjectKind.Global => typeof(GlobalConfig),
        ObjectKind.NetProfile => typeof(NetProfileConfig),
        ObjectKind.AppProfile => typeof(AppProfileConfig),
        ObjectKind.ExtContractsGroup => typeof(ExtContractsGroupConfig),
        ObjectKind.ServiceLb => typeof(ServiceLbConfig),
        ObjectKind.Bgp => typeof(BgpConfig),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an object kind"),
    };

    public static bool TryParsePlural(string plural, out ObjectKind kind)
    {
        foreach (var row in Table)
        {
            if (row.Plural == plural) { kind = row.Kind; return true; }
        }
        kind = default;
        return false;
    }

    public static string Plural(this ObjectKind kind) => Row(kind).Plural;

    /// <summary>The type name used in links, e.g. <c>{"type":"tenant","key":"t1"}</c>.</summary>
    public static string TypeName(this ObjectKind kind) => Row(kind).Type;

    public static IReadOnlyList<string> KeyFields(this ObjectKind kind) => Row(kind).KeyFields;

    /// <summary>Objects that live inside a tenant (keyed <c>tenant:...</c>).</summary>
    public static bool IsTenantScoped(this ObjectKind kind) =>
        kind is not (ObjectKind.Global or ObjectKind.Bgp);

    private static (ObjectKind Kind, string Plural, string Type, string[] KeyFields) Row(ObjectKind kind) =>
        Table.First(t => t.Kind == kind);
}
