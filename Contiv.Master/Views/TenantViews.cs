using System.Text.Json.Nodes;
using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Model;
using Contiv.Messages.Pools;

namespace Contiv.Master.Views;

/// <summary>Views of a tenant's objects with the links and link-sets the original computed.</summary>
public static class TenantViews
{
    /// <summary>The object as GET answers it, or null when the tenant has no such object.</summary>
    public static string? View(TenantState state, ObjectKind kind, string name)
    {
        if (!state.Exists) return null;
        var tenantLink = new Link(ObjectKind.Tenant, state.Name);
        switch (kind)
        {
            case ObjectKind.Tenant:
                return ObjectView.Render(state.Config, links: [], linkSets:
                [
                    ("AppProfiles", state.AppProfiles.Values.Select(a => new Link(ObjectKind.AppProfile, a.Key))),
                    ("EndpointGroups", state.Groups.Values.Select(g => new Link(ObjectKind.EndpointGroup, g.Key))),
                    ("NetProfiles", state.NetProfiles.Values.Select(p => new Link(ObjectKind.NetProfile, p.Key))),
                    ("Networks", state.Networks.Values.Select(n => new Link(ObjectKind.Network, n.Config.Key))),
                    ("Policies", state.Policies.Values.Select(p => new Link(ObjectKind.Policy, p.Key))),
                    ("Servicelbs", state.ServiceLbs.Values.Select(s => new Link(ObjectKind.ServiceLb, s.Config.Key))),
                ]);
            case ObjectKind.Network when state.Networks.TryGetValue(name, out var network):
                return ObjectView.Render(network.Config, links: [("Tenant", tenantLink)], linkSets:
                [
                    ("EndpointGroups", state.Groups.Values.Where(g => g.NetworkName == name).Select(g => new Link(ObjectKind.EndpointGroup, g.Key))),
                    ("Servicelbs", state.ServiceLbs.Values.Where(s => s.Config.NetworkName == name).Select(s => new Link(ObjectKind.ServiceLb, s.Config.Key))),
                ]);
            case ObjectKind.EndpointGroup when state.Groups.TryGetValue(name, out var group):
                var app = state.AppProfileOfGroup.TryGetValue(name, out var appName) ? state.AppProfiles[appName] : null;
                return ObjectView.Render(group, links:
                [
                    ("AppProfile", app is null ? null : new Link(ObjectKind.AppProfile, app.Key)),
                    ("NetProfile", group.NetProfile is null ? null : new Link(ObjectKind.NetProfile, $"{state.Name}:{group.NetProfile}")),
                    ("Network", new Link(ObjectKind.Network, $"{state.Name}:{group.NetworkName}")),
                    ("Tenant", tenantLink),
                ], linkSets:
                [
                    ("ExtContractsGrps", (group.ExtContractsGrps ?? []).Select(c => new Link(ObjectKind.ExtContractsGroup, $"{state.Name}:{c}"))),
                    ("MatchRules", state.Rules.Values.Where(r => r.FromEndpointGroup == name || r.ToEndpointGroup == name).Select(r => new Link(ObjectKind.Rule, r.Key))),
                    ("Policies", (group.Policies ?? []).Select(p => new Link(ObjectKind.Policy, $"{state.Name}:{p}"))),
                ]);
            case ObjectKind.Policy when state.Policies.TryGetValue(name, out var policy):
                return ObjectView.Render(policy, links: [("Tenant", tenantLink)], linkSets:
                [
                    ("EndpointGroups", state.Groups.Values.Where(g => g.Policies?.Contains(name) == true).Select(g => new Link(ObjectKind.EndpointGroup, g.Key))),
                    ("Rules", state.RulesOf(name).Select(r => new Link(ObjectKind.Rule, r.Key))),
                ]);
            case ObjectKind.Rule when state.Rules.TryGetValue(name, out var rule):
                var matched = rule.FromEndpointGroup ?? rule.ToEndpointGroup;
                return ObjectView.Render(rule,
                    links: [("MatchEndpointGroup", matched is null ? null : new Link(ObjectKind.EndpointGroup, $"{state.Name}:{matched}"))],
                    linkSets: [("Policies", [new Link(ObjectKind.Policy, $"{state.Name}:{rule.PolicyName}")])]);
            case ObjectKind.NetProfile when state.NetProfiles.TryGetValue(name, out var profile):
                return ObjectView.Render(profile, links: [("Tenant", tenantLink)], linkSets:
                    [("EndpointGroups", state.Groups.Values.Where(g => g.NetProfile == name).Select(g => new Link(ObjectKind.EndpointGroup, g.Key)))]);
            case ObjectKind.AppProfile when state.AppProfiles.TryGetValue(name, out var appProfile):
                return ObjectView.Render(appProfile, links: [("Tenant", tenantLink)], linkSets:
                    [("EndpointGroups", (appProfile.EndpointGroups ?? []).Select(g => new Link(ObjectKind.EndpointGroup, $"{state.Name}:{g}")))]);
            case ObjectKind.ExtContractsGroup when state.ExtContractsGroups.TryGetValue(name, out var contracts):
                return ObjectView.Render(contracts, linkSets:
                    [("EndpointGroups", state.Groups.Values.Where(g => g.ExtContractsGrps?.Contains(name) == true).Select(g => new Link(ObjectKind.EndpointGroup, g.Key)))]);
            case ObjectKind.ServiceLb when state.ServiceLbs.TryGetValue(name, out var service):
                return ObjectView.Render(service.Config, links:
                    [("Network", new Link(ObjectKind.Network, $"{state.Name}:{service.Config.NetworkName}")), ("Tenant", tenantLink)]);
            default:
                return null;
        }
    }

    /// <summary>Every object of a kind in this tenant, rendered.</summary>
    public static IEnumerable<string> List(TenantState state, ObjectKind kind) =>
        TenantViewChanges.Names(state, kind).Select(n => View(state, kind, n)!);

    /// <summary>Inspect: Config plus the Oper fields the model defines. <paramref name="usage"/> is the pool's
    /// answer for networks and groups with an ipPool.</summary>
    /// <param name="realization">for policies: host → realized or pending, as the state feed knows it (null: the feed did not answer)</param>
    /// <param name="servedBy">for tenants: the cluster address of the master the tenant's entity runs on</param>
    public static string? Inspect(TenantState state, ObjectKind kind, string name, PoolUsage? usage,
        IReadOnlyDictionary<string, string>? realization = null, string? servedBy = null)
    {
        var config = View(state, kind, name);
        if (config is null) return null;
        var oper = new JsonObject();
        switch (kind)
        {
            case ObjectKind.Tenant:
                oper.With("totalNetworks", state.Networks.Count)
                    .With("totalEPGs", state.Groups.Count)
                    .With("totalNetprofiles", state.NetProfiles.Count)
                    .With("totalAppProfiles", state.AppProfiles.Count)
                    .With("totalServicelbs", state.ServiceLbs.Count)
                    .With("totalPolicies", state.Policies.Count)
                    .With("totalEndpoints", Ready(state.Endpoints.Values).Count())
                    .With("endpoints", EndpointViews.List(Ready(state.Endpoints.Values)))
                    .With("networks", Array(state.Networks.Values.Select(n => n.Config)))
                    .With("endpointGroups", Array(state.Groups.Values))
                    .With("policies", Array(state.Policies.Values))
                    .With("servicelbs", Array(state.ServiceLbs.Values.Select(s => s.Config)))
                    .With("servedBy", servedBy);
                break;
            case ObjectKind.Network:
                var network = state.Networks[name];
                oper.With("pktTag", network.Tags.PktTag)
                    .With("externalPktTag", network.Tags.ExternalPktTag)
                    .With("networkTag", network.Config.CfgdTag ?? $"{name}.{state.Name}")
                    .With("numEndpoints", Ready(state.EndpointsIn(name)).Count())
                    .With("endpoints", EndpointViews.List(Ready(state.EndpointsIn(name))))
                    .With("allocatedAddressesCount", usage?.AllocatedCount - (network.Config.Gateway is null ? 0 : 1) ?? 0)
                    .With("allocatedIPAddresses", usage?.AllocatedAddresses)
                    .With("availableIPAddresses", usage?.AvailableAddresses);
                break;
            case ObjectKind.EndpointGroup:
                var group = state.Groups[name];
                var groupNetwork = state.Networks[group.NetworkName!];
                oper.With("pktTag", groupNetwork.Tags.PktTag)
                    .With("externalPktTag", groupNetwork.Tags.ExternalPktTag)
                    .With("groupTag", group.CfgdTag ?? $"{name}.{state.Name}")
                    .With("numEndpoints", Ready(state.EndpointsOf(name)).Count())
                    .With("endpoints", EndpointViews.List(Ready(state.EndpointsOf(name))))
                    .With("allocatedIPAddresses", usage?.AllocatedAddresses)
                    .With("availableIPAddresses", usage?.AvailableAddresses);
                break;
            case ObjectKind.Policy:
                var attached = state.Groups.Values.Where(g => g.Policies?.Contains(name) == true).Select(g => g.GroupName!).ToHashSet();
                var covered = Ready(state.Endpoints.Values.Where(e => e.Spec.Group is { } g && attached.Contains(g))).ToList();
                oper.With("numEndpoints", covered.Count)
                    .With("endpoints", EndpointViews.List(covered));
                if (realization is not null)
                {
                    var hosts = new JsonObject();
                    foreach (var (host, status) in realization) hosts[host] = status;
                    oper["realization"] = hosts;
                }
                break;
            case ObjectKind.ServiceLb:
                oper.With("serviceVip", state.ServiceLbs[name].Vip);
                break;
        }
        return ObjectView.Inspect(config, oper);
    }

    private static IEnumerable<Messages.Endpoints.EndpointInfo> Ready(IEnumerable<TenantEndpoint> endpoints) =>
        endpoints.Select(e => e.Info).OfType<Messages.Endpoints.EndpointInfo>();

    private static JsonArray Array(IEnumerable<IConfigObject> configs) => [.. configs.Select(c => (JsonNode)ObjectView.ConfigNode(c))];
}
