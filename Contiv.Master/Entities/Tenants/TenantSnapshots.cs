using System.Collections.Immutable;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Tenants;

public static class TenantSnapshots
{
    public static TenantSnapshot Capture(TenantState state) => new(
        state.Exists,
        state.Config,
        [.. state.Networks.Values.Select(n => new NetworkSnapshot(n.Config, n.Tags))],
        [.. state.Groups.Values],
        [.. state.Policies.Values],
        [.. state.Rules.Values],
        [.. state.NetProfiles.Values],
        [.. state.AppProfiles.Values],
        [.. state.ExtContractsGroups.Values],
        [.. state.ServiceLbs.Values.Select(s => new ServiceLbSnapshot(s.Config, s.Vip))],
        [.. state.PendingPoolWork],
        [.. state.AppProfileOfGroup.Select(l => new GroupAppProfileLink(l.Key, l.Value))],
        state.Id,
        [.. state.Endpoints.Values.Select(e => new EndpointSnapshot(e.Id, e.Spec, e.Info))]);

    public static TenantState Restore(string name, TenantSnapshot snapshot) => TenantState.Initial(name) with
    {
        Exists = snapshot.Exists,
        Config = snapshot.Config,
        Networks = snapshot.Networks.ToImmutableSortedDictionary(n => n.Config.NetworkName!, n => new NetworkEntry(n.Config, n.Tags)),
        Groups = snapshot.Groups.ToImmutableSortedDictionary(g => g.GroupName!, g => g),
        Policies = snapshot.Policies.ToImmutableSortedDictionary(p => p.PolicyName!, p => p),
        Rules = snapshot.Rules.ToImmutableSortedDictionary(r => TenantState.RuleKey(r.PolicyName!, r.RuleId!), r => r),
        NetProfiles = snapshot.NetProfiles.ToImmutableSortedDictionary(p => p.ProfileName!, p => p),
        AppProfiles = snapshot.AppProfiles.ToImmutableSortedDictionary(a => a.AppProfileName!, a => a),
        ExtContractsGroups = snapshot.ExtContractsGroups.ToImmutableSortedDictionary(c => c.ContractsGroupName!, c => c),
        ServiceLbs = snapshot.ServiceLbs.ToImmutableSortedDictionary(s => s.Config.ServiceName!, s => new ServiceLbEntry(s.Config, s.Vip)),
        PendingPoolWork = [.. snapshot.PendingPoolWork],
        AppProfileOfGroup = snapshot.AppProfileLinks.ToImmutableSortedDictionary(l => l.Group, l => l.AppProfile),
        Id = snapshot.Id > 0 ? snapshot.Id : TenantState.Initial(name).Id,
        Endpoints = (snapshot.Endpoints.IsDefault ? [] : snapshot.Endpoints)
            .ToImmutableSortedDictionary(e => e.Id, e => new TenantEndpoint(e.Id, e.Spec, e.Info), StringComparer.Ordinal),
    };
}
