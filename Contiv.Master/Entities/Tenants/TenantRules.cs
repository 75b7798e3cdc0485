using Contiv.Messages.Addressing;
using Contiv.Messages.Api;
using Contiv.Messages.Model;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Tenants;

/// <summary>The semantic rules of the v1 API for objects inside a tenant (API-NOTES "Semantics to keep").</summary>
public static class TenantRules
{
    /// <summary>The answer to anything but a save of the tenant itself in a tenant that does not exist.</summary>
    public static ApiError Absent(string tenant) => ApiError.NotFound($"Tenant {tenant} not found");

    public static TenantPlan PlanSave(TenantState state, IConfigObject config)
    {
        if (config is TenantConfig tenant) return PlanSaveTenant(state, tenant);
        if (!state.Exists) return Refuse(Absent(state.Name));
        return config switch
        {
            NetworkConfig network => PlanSaveNetwork(state, network),
            EndpointGroupConfig group => PlanSaveGroup(state, group),
            PolicyConfig policy => Save(state.Policies.ContainsKey(policy.PolicyName!) && state.Policies[policy.PolicyName!] == policy
                ? null : new PolicySavedEvent(policy), policy),
            RuleConfig rule => PlanSaveRule(state, rule),
            NetProfileConfig profile => PlanSaveNetProfile(profile),
            AppProfileConfig app => PlanSaveAppProfile(state, app),
            ExtContractsGroupConfig contracts => PlanSaveContracts(contracts),
            ServiceLbConfig service => PlanSaveServiceLb(state, service),
            _ => Refuse(ApiError.Invalid($"{config.Kind.Plural()} do not belong to a tenant")),
        };
    }

    public static TenantPlan PlanDelete(TenantState state, ObjectKind kind, string name)
    {
        if (kind == ObjectKind.Tenant) return PlanDeleteTenant(state);
        var key = $"{state.Name}:{name}";
        if (!state.Exists) return Refuse(Absent(state.Name));
        switch (kind)
        {
            case ObjectKind.Network:
                return state.Networks.ContainsKey(name) ? PlanDeleteNetwork(state, name) : NotFound(kind, key);
            case ObjectKind.EndpointGroup:
                return state.Groups.TryGetValue(name, out var group) ? PlanDeleteGroup(state, group) : NotFound(kind, key);
            case ObjectKind.Policy:
                if (!state.Policies.ContainsKey(name)) return NotFound(kind, key);
                var users = state.Groups.Values.Where(g => g.Policies?.Contains(name) == true).Select(g => g.GroupName).ToList();
                return users.Count > 0
                    ? Refuse(ApiError.Conflict($"Policy is being used: policy {name} is attached to endpoint groups {string.Join(", ", users)}"))
                    : Delete(key, new PolicyDeletedEvent(name));
            case ObjectKind.Rule:
                var parts = name.Split(':');
                return state.Rules.ContainsKey(name) ? Delete(key, new RuleDeletedEvent(parts[0], parts[1])) : NotFound(kind, key);
            case ObjectKind.NetProfile:
                if (!state.NetProfiles.ContainsKey(name)) return NotFound(kind, key);
                var profileUsers = state.Groups.Values.Where(g => g.NetProfile == name).Select(g => g.GroupName).ToList();
                return profileUsers.Count > 0
                    ? Refuse(ApiError.Conflict($"NetProfile is being used: netprofile {name} is attached to endpoint groups {string.Join(", ", profileUsers)}"))
                    : Delete(key, new NetProfileDeletedEvent(name));
            case ObjectKind.AppProfile:
                return state.AppProfiles.ContainsKey(name) ? Delete(key, new AppProfileDeletedEvent(name)) : NotFound(kind, key);
            case ObjectKind.ExtContractsGroup:
                if (!state.ExtContractsGroups.ContainsKey(name)) return NotFound(kind, key);
                var contractUsers = state.Groups.Values.Where(g => g.ExtContractsGrps?.Contains(name) == true).Select(g => g.GroupName).ToList();
                return contractUsers.Count > 0
                    ? Refuse(ApiError.Conflict($"external contracts group {name} is used by endpoint groups {string.Join(", ", contractUsers)}"))
                    : Delete(key, new ExtContractsGroupDeletedEvent(name));
            case ObjectKind.ServiceLb:
                return state.ServiceLbs.TryGetValue(name, out var service) ? new DeleteServiceLbPlan(service) : NotFound(kind, key);
            default:
                return Refuse(ApiError.Invalid($"{kind.Plural()} do not belong to a tenant"));
        }
    }

    // ---- tenants ------------------------------------------------------------------------------

    private static TenantPlan PlanSaveTenant(TenantState state, TenantConfig tenant)
    {
        if (!state.Exists) return new CreateTenantPlan(tenant);
        return tenant == state.Config
            ? Answer(ObjectKind.Tenant, state.Name)
            : Refuse(ApiError.Conflict("Cant change tenant parameters after its created"));
    }

    private static TenantPlan PlanDeleteTenant(TenantState state)
    {
        if (!state.Exists) return Refuse(Absent(state.Name));
        var name = state.Name;
        if (!state.AppProfiles.IsEmpty) return Refuse(ApiError.Conflict($"cannot delete {name}, has {state.AppProfiles.Count} app profiles"));
        if (!state.Groups.IsEmpty) return Refuse(ApiError.Conflict($"cannot delete {name} has {state.Groups.Count} endpoint groups"));
        if (!state.Policies.IsEmpty) return Refuse(ApiError.Conflict($"cannot delete {name} has {state.Policies.Count} policies"));
        if (!state.NetProfiles.IsEmpty) return Refuse(ApiError.Conflict($"Cannot delete {name} has {state.NetProfiles.Count} netprofiles"));
        if (!state.ServiceLbs.IsEmpty) return Refuse(ApiError.Conflict($"cannot delete {name} has {state.ServiceLbs.Count} services"));
        if (!state.ExtContractsGroups.IsEmpty) return Refuse(ApiError.Conflict($"cannot delete {name} has {state.ExtContractsGroups.Count} external contracts groups"));
        if (!state.Networks.IsEmpty) return Refuse(ApiError.Conflict($"cannot delete {name} has {state.Networks.Count} networks"));
        return new DeleteTenantPlan(name);
    }

    // ---- networks -----------------------------------------------------------------------------

    private static TenantPlan PlanSaveNetwork(TenantState state, NetworkConfig network)
    {
        var name = network.NetworkName!;
        if (state.Networks.TryGetValue(name, out var existing))
        {
            return existing.Config == network
                ? Answer(ObjectKind.Network, network.Key)
                : Refuse(ApiError.Conflict("Cant change network parameters after its created"));
        }
        if (network.Encap is null) return Refuse(ApiError.Invalid("encap is required: vlan or vxlan"));
        if (!SubnetSpec.TryParse(network.Subnet, out var subnet, out var subnetError)) return Refuse(ApiError.Invalid(subnetError));
        if (network.Gateway is not null && (!Ipv4.TryParse(network.Gateway, out var gateway) || !subnet.InPrefix(gateway)))
            return Refuse(ApiError.Invalid($"gateway {network.Gateway} is not inside subnet {network.Subnet}"));
        if (network.Gateway is not null && Ipv4.TryParse(network.Gateway, out var gw) && subnet.IsReserved(gw))
            return Refuse(ApiError.Invalid($"gateway {network.Gateway} is the network or broadcast address of {network.Subnet}"));
        System.Net.IPNetwork? v6 = null;
        if (network.Ipv6Subnet is not null)
        {
            if (!Ipv4.TryParseIpv6Network(network.Ipv6Subnet, out var parsed))
                return Refuse(ApiError.Invalid($"ipv6Subnet {network.Ipv6Subnet} string invalid format"));
            v6 = parsed;
            if (network.Ipv6Gateway is not null && (!System.Net.IPAddress.TryParse(network.Ipv6Gateway, out var v6Gateway) || !parsed.Contains(v6Gateway)))
                return Refuse(ApiError.Invalid($"ipv6Gateway {network.Ipv6Gateway} is not inside ipv6Subnet {network.Ipv6Subnet}"));
        }
        else if (network.Ipv6Gateway is not null)
        {
            return Refuse(ApiError.Invalid("ipv6Gateway needs an ipv6Subnet"));
        }
        if (state.Groups.ContainsKey(name))
            return Refuse(ApiError.Conflict($"EndpointGroup {name} conflicts with the network name"));
        foreach (var other in state.Networks.Values)
        {
            if (SubnetSpec.TryParse(other.Config.Subnet, out var otherSubnet, out _) && otherSubnet.Overlaps(subnet))
                return Refuse(ApiError.Conflict($"network {other.Config.NetworkName} conflicts with subnet {other.Config.Subnet}"));
            if (v6 is { } mine && Ipv4.TryParseIpv6Network(other.Config.Ipv6Subnet, out var theirs) && Ipv4.Ipv6Overlap(mine, theirs))
                return Refuse(ApiError.Conflict($"network {other.Config.NetworkName} conflicts with subnetv6 {other.Config.Ipv6Subnet}"));
        }
        return new CreateNetworkPlan(network);
    }

    private static TenantPlan PlanDeleteNetwork(TenantState state, string name)
    {
        var groups = state.Groups.Values.Count(g => g.NetworkName == name);
        if (groups > 0) return Refuse(ApiError.Conflict($"cannot delete {name} has {groups} endpoint groups"));
        var endpoints = state.EndpointsIn(name).Count();
        if (endpoints > 0) return Refuse(ApiError.Conflict($"cannot delete {name} has {endpoints} endpoints"));
        var services = state.ServiceLbs.Values.Count(s => s.Config.NetworkName == name);
        if (services > 0) return Refuse(ApiError.Conflict($"cannot delete {name} has {services} services "));
        var rules = state.Rules.Values.Where(r => r.FromNetwork == name || r.ToNetwork == name).Select(r => r.Key).ToList();
        if (rules.Count > 0) return Refuse(ApiError.Conflict($"cannot delete {name}: rules {string.Join(", ", rules)} refer to it"));
        if (state.Config.DefaultNetwork == name) return Refuse(ApiError.Conflict($"cannot delete {name}: it is the default network of tenant {state.Name}"));
        return new DeleteNetworkPlan(name);
    }

    // ---- endpoint groups ----------------------------------------------------------------------

    private static TenantPlan PlanSaveGroup(TenantState state, EndpointGroupConfig group)
    {
        var name = group.GroupName!;
        if (group.NetworkName is null) return Refuse(ApiError.Invalid("networkName is required"));
        if (!state.Networks.TryGetValue(group.NetworkName, out var network))
            return Refuse(ApiError.NotFound($"Network {group.NetworkName} not found"));
        if (state.Networks.ContainsKey(name))
            return Refuse(ApiError.Conflict($"Network {name} conflicts with the endpointGroup name"));
        foreach (var policy in group.Policies ?? [])
        {
            if (!state.Policies.ContainsKey(policy)) return Refuse(ApiError.NotFound($"Policy {policy} not found"));
        }
        if (group.NetProfile is { } profile && !state.NetProfiles.ContainsKey(profile))
            return Refuse(ApiError.NotFound($"netprofile {profile} not found"));
        foreach (var contracts in group.ExtContractsGrps ?? [])
        {
            if (!state.ExtContractsGroups.ContainsKey(contracts))
                return Refuse(ApiError.NotFound($"External contracts group {contracts} not found"));
        }

        if (state.Groups.TryGetValue(name, out var existing))
        {
            if (existing.NetworkName != group.NetworkName) return Refuse(ApiError.Conflict("Cannot change network association after epg is created."));
            if (existing.IpPool != group.IpPool) return Refuse(ApiError.Conflict("Cannot change IP pool after epg is created."));
            if (existing.CfgdTag != group.CfgdTag) return Refuse(ApiError.Conflict("Cannot change cfgdTag after epg is created."));
            return Save(existing == group ? null : new EndpointGroupSavedEvent(group), group);
        }
        if (group.IpPool is not null)
        {
            if (!Pools.IpPoolState.TryParseRange(group.IpPool, out var first, out var last))
                return Refuse(ApiError.Invalid($"ipPool {group.IpPool} string invalid format"));
            var subnet = SubnetSpec.Parse(network.Config.Subnet!);
            if (!subnet.Contains(first) || !subnet.Contains(last))
                return Refuse(ApiError.Invalid($"ipPool {group.IpPool} is not inside subnet {network.Config.Subnet} of network {group.NetworkName}"));
            return new CreateGroupWithPoolPlan(group);
        }
        return Save(new EndpointGroupSavedEvent(group), group);
    }

    private static TenantPlan PlanDeleteGroup(TenantState state, EndpointGroupConfig group)
    {
        var name = group.GroupName!;
        var endpoints = state.EndpointsOf(name).Count();
        if (endpoints > 0) return Refuse(ApiError.Conflict($"cannot delete {name} has {endpoints} endpoints"));
        var app = state.AppProfiles.Values.FirstOrDefault(a => a.EndpointGroups?.Contains(name) == true);
        if (app is not null) return Refuse(ApiError.Conflict($"Cannot delete {name}, associated to appProfile {app.AppProfileName}"));
        var rules = state.Rules.Values.Where(r => r.FromEndpointGroup == name || r.ToEndpointGroup == name).Select(r => r.Key).ToList();
        if (rules.Count > 0) return Refuse(ApiError.Conflict($"cannot delete {name}: rules {string.Join(", ", rules)} refer to it"));
        return group.IpPool is null ? Delete(group.Key, new EndpointGroupDeletedEvent(name)) : new DeleteGroupWithPoolPlan(group);
    }

    // ---- rules --------------------------------------------------------------------------------

    private static TenantPlan PlanSaveRule(TenantState state, RuleConfig rule)
    {
        var direction = rule.Direction;
        if (direction == "in")
        {
            if (rule.ToNetwork is not null || rule.ToEndpointGroup is not null)
                return Refuse(ApiError.Invalid("can not specify 'to' parameters in incoming rule"));
            if (rule.FromNetwork is not null && rule.FromIpAddress is not null)
                return Refuse(ApiError.Invalid("can not specify both from network and from ip address"));
            if (rule.FromNetwork is not null && rule.FromEndpointGroup is not null)
                return Refuse(ApiError.Invalid("can not specify both from network and from EndpointGroup"));
        }
        else if (direction == "out")
        {
            if (rule.FromNetwork is not null || rule.FromEndpointGroup is not null || rule.FromIpAddress is not null)
                return Refuse(ApiError.Invalid("can not specify 'from' parameters in outgoing rule"));
            if (rule.ToNetwork is not null && rule.ToIpAddress is not null)
                return Refuse(ApiError.Invalid("can not specify both to-network and to-ip address"));
            if (rule.ToNetwork is not null && rule.ToEndpointGroup is not null)
                return Refuse(ApiError.Invalid("can not specify both to-network and to-EndpointGroup"));
        }
        else
        {
            return Refuse(ApiError.Invalid("direction: invalid direction for the rule (in or out)"));
        }
        if (rule.Port != 0 && rule.Protocol is not ("tcp" or "udp" or "6" or "17"))
            return Refuse(ApiError.Invalid($"port {rule.Port} needs protocol tcp or udp"));

        if (rule.FromEndpointGroup is { } from && !state.Groups.ContainsKey(from))
            return Refuse(ApiError.NotFound($"endpoint group not found: {from}"));
        if (rule.ToEndpointGroup is { } to && !state.Groups.ContainsKey(to))
            return Refuse(ApiError.NotFound($"endpoint group not found: {to}"));
        NetworkEntry? fromNetwork = null;
        if (rule.FromNetwork is { } fromNet && !state.Networks.TryGetValue(fromNet, out fromNetwork))
            return Refuse(ApiError.NotFound($"from Network not found: {fromNet}"));
        if (rule.ToNetwork is { } toNet && !state.Networks.ContainsKey(toNet))
            return Refuse(ApiError.NotFound($"to Network not found: {toNet}"));
        if (!state.Policies.ContainsKey(rule.PolicyName!))
            return Refuse(ApiError.NotFound($"Policy not found: {rule.PolicyName}"));
        if (direction == "in" && rule.ToIpAddress is not null)
        {
            // The original admitted this only for an address of an endpoint in the policy's one group;
            // endpoints arrive with host agents, so no address can qualify yet.
            var groups = state.Groups.Values.Count(g => g.Policies?.Contains(rule.PolicyName!) == true);
            return Refuse(ApiError.Invalid(groups != 1
                ? $"failed to configure {rule.ToIpAddress}, {groups} endpoint groups linked to policy {rule.PolicyName}"
                : $"failed to configure {rule.ToIpAddress}, ip address is not in an endpoint of the policy's group"));
        }

        var stored = fromNetwork is not null ? rule with { FromIpAddress = fromNetwork.Config.Subnet } : rule;
        if (state.Rules.ContainsKey(TenantState.RuleKey(rule.PolicyName!, rule.RuleId!)))
            return Refuse(ApiError.Conflict($"can not update a rule after its created: rule {rule.Key} exists"));
        return Save(new RuleAddedEvent(stored), stored);
    }

    // ---- profiles, contracts, services --------------------------------------------------------

    private static TenantPlan PlanSaveNetProfile(NetProfileConfig profile)
    {
        if (profile.Burst is > 0 and < 2) return Refuse(ApiError.Invalid("Invalid Burst size. burst size must be > 1500 bytes"));
        return Save(new NetProfileSavedEvent(profile), profile);
    }

    private static TenantPlan PlanSaveAppProfile(TenantState state, AppProfileConfig app)
    {
        foreach (var group in app.EndpointGroups ?? [])
        {
            if (!state.Groups.ContainsKey(group)) return Refuse(ApiError.NotFound($"EndpointGroup {state.Name}:{group} not found"));
        }
        return Save(new AppProfileSavedEvent(app), app);
    }

    private static TenantPlan PlanSaveContracts(ExtContractsGroupConfig contracts)
    {
        if (contracts.ContractsType is not ("provided" or "consumed"))
            return Refuse(ApiError.Invalid($"contractsType {contracts.ContractsType} invalid: must be provided or consumed"));
        return Save(new ExtContractsGroupSavedEvent(contracts), contracts);
    }

    private static TenantPlan PlanSaveServiceLb(TenantState state, ServiceLbConfig service)
    {
        if (service.NetworkName is null) return Refuse(ApiError.Invalid("networkName is required"));
        if (service.Selectors is null || service.Selectors.Value.IsEmpty) return Refuse(ApiError.Invalid("selectors: Invalid selector options (at least one key=value)"));
        foreach (var selector in service.Selectors.Value)
        {
            var kv = selector.Split('=');
            if (kv.Length != 2 || kv[0].Length == 0 || kv[1].Length == 0)
                return Refuse(ApiError.Invalid($"selectors: Invalid selector options: {selector} (key=value)"));
        }
        foreach (var port in service.Ports ?? [])
        {
            if (!IsPortMapping(port))
                return Refuse(ApiError.Invalid($"ports: Invalid Port maping {port}. Port format is - Port:TargetPort:Protocol"));
        }
        if (!state.Networks.TryGetValue(service.NetworkName, out var network))
            return Refuse(ApiError.NotFound($"Network {service.NetworkName} not found"));
        if (service.IpAddress is { } ip && Ipv4.TryParse(ip, out var vip)
            && !SubnetSpec.Parse(network.Config.Subnet!).Contains(vip))
            return Refuse(ApiError.Invalid($"ipAddress {ip} is not inside subnet {network.Config.Subnet} of network {service.NetworkName}"));
        if (state.ServiceLbs.TryGetValue(service.ServiceName!, out var existing))
        {
            if (existing.Config.NetworkName != service.NetworkName)
                return Refuse(ApiError.Conflict("Cannot change the network of a service after it is created"));
            if (service.IpAddress is not null && service.IpAddress != existing.Vip)
                return Refuse(ApiError.Conflict($"Cannot change the ipAddress of service {service.ServiceName} after it is created (it is {existing.Vip})"));
            return existing.Config == service ? Answer(ObjectKind.ServiceLb, service.Key) : Save(new ServiceLbSavedEvent(service, existing.Vip), service);
        }
        return new SaveServiceLbPlan(service);
    }

    private static bool IsPortMapping(string port)
    {
        var parts = port.Split(':');
        return parts.Length == 3
               && ushort.TryParse(parts[0], out var p) && p > 0
               && ushort.TryParse(parts[1], out var t) && t > 0
               && parts[2].ToUpperInvariant() is "TCP" or "UDP";
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static TenantPlan Refuse(ApiError error) => new ImmediatePlan(Decision<ITenantEvent>.Refuse(error));

    private static TenantPlan NotFound(ObjectKind kind, string key) => Refuse(ApiError.NotFound($"{kind.TypeName()} {key} not found"));

    private static TenantPlan Answer(ObjectKind kind, string key) => new ImmediatePlan(Decision<ITenantEvent>.Answer(new RenderView(kind, key)));

    private static TenantPlan Save(ITenantEvent? @event, IConfigObject config) =>
        new ImmediatePlan(@event is null
            ? Decision<ITenantEvent>.Answer(new RenderView(config.Kind, config.Key))
            : Decision<ITenantEvent>.Persist(new RenderView(config.Kind, config.Key), @event));

    private static TenantPlan Delete(string key, ITenantEvent @event) =>
        new ImmediatePlan(Decision<ITenantEvent>.Persist(new DeletedKey(key), @event));
}
