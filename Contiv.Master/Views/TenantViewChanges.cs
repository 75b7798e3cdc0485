using System.Collections.Immutable;
using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Model;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Views;

/// <summary>One API object as GET answers it; <paramref name="Json"/> null: the object is gone.</summary>
/// <param name="Name">the object's name within its tenant (its key without the tenant: <c>net1</c>, <c>p1:r1</c>)</param>
public sealed record RenderedObject(ObjectKind Kind, string Name, string? Json);

/// <summary>
/// Which of a tenant's API views an event changes, for the read model. A view holds links to the objects it
/// refers to and link-sets of those that refer to it, so one event can change several; each case names every
/// view whose rendering reads what the event touched (a test checks the increments against full renders).
/// </summary>
public static class TenantViewChanges
{
    /// <summary>Every object of the tenant, rendered: what a dump carries.</summary>
    public static ImmutableArray<RenderedObject> All(TenantState state) =>
    [
        .. ObjectKinds.All.Where(k => k.IsTenantScoped()).SelectMany(kind => Names(state, kind)
            .Select(name => new RenderedObject(kind, name, TenantViews.View(state, kind, name)))),
    ];

    /// <summary>The views the events changed, rendered as of <paramref name="after"/> (null Json: gone).</summary>
    public static ImmutableArray<RenderedObject> Changed(TenantState before, IEnumerable<ITenantEvent> events, TenantState after) =>
        [.. Touched(before, events).Select(t => new RenderedObject(t.Kind, t.Name, TenantViews.View(after, t.Kind, t.Name)))];

    /// <summary>Every view whose rendering the events may have changed (or that they created or removed).</summary>
    public static IReadOnlySet<(ObjectKind Kind, string Name)> Touched(TenantState before, IEnumerable<ITenantEvent> events)
    {
        var touched = new HashSet<(ObjectKind, string)>();
        var state = before;
        foreach (var e in events)
        {
            var next = state.Apply(e);
            touched.UnionWith(Touched(e, state, next));
            state = next;
        }
        return touched;
    }

    /// <summary>Does the tenant have this object (so that it has a view)?</summary>
    public static bool Exists(TenantState state, ObjectKind kind, string name) => state.Exists && kind switch
    {
        ObjectKind.Tenant => name == state.Name,
        ObjectKind.Network => state.Networks.ContainsKey(name),
        ObjectKind.EndpointGroup => state.Groups.ContainsKey(name),
        ObjectKind.Policy => state.Policies.ContainsKey(name),
        ObjectKind.Rule => state.Rules.ContainsKey(name),
        ObjectKind.NetProfile => state.NetProfiles.ContainsKey(name),
        ObjectKind.AppProfile => state.AppProfiles.ContainsKey(name),
        ObjectKind.ExtContractsGroup => state.ExtContractsGroups.ContainsKey(name),
        ObjectKind.ServiceLb => state.ServiceLbs.ContainsKey(name),
        _ => false,
    };

    private static IEnumerable<(ObjectKind, string)> Touched(ITenantEvent e, TenantState before, TenantState after)
    {
        var tenant = (ObjectKind.Tenant, before.Name);
        switch (e)
        {
            // Rare and sweeping: every view of the tenant, before and after.
            case TenantCreatedEvent or TenantDeletedEvent or TenantNumberedEvent:
                return Everything(before).Concat(Everything(after));
            case NetworkCreatedEvent created:
                return [tenant, (ObjectKind.Network, created.Config.NetworkName!)];
            case NetworkDeletedEvent deleted:
                return [tenant, (ObjectKind.Network, deleted.Name)];
            case EndpointGroupSavedEvent saved:
                return GroupTouched(before, after, saved.Config.GroupName!);
            case EndpointGroupDeletedEvent deleted:
                return GroupTouched(before, after, deleted.Name);
            case PolicySavedEvent saved:
                return [tenant, (ObjectKind.Policy, saved.Config.PolicyName!)];
            case PolicyDeletedEvent deleted:
                return [tenant, (ObjectKind.Policy, deleted.Name), .. before.RulesOf(deleted.Name).SelectMany(r => RuleTouched(before, r))];
            case RuleAddedEvent added:
                var key = TenantState.RuleKey(added.Config.PolicyName!, added.Config.RuleId!);
                return [.. RuleTouched(after, added.Config), .. before.Rules.TryGetValue(key, out var replaced) ? RuleTouched(before, replaced) : []];
            case RuleDeletedEvent deleted:
                return before.Rules.TryGetValue(TenantState.RuleKey(deleted.PolicyName, deleted.RuleId), out var rule) ? RuleTouched(before, rule) : [];
            case NetProfileSavedEvent saved:
                return [tenant, (ObjectKind.NetProfile, saved.Config.ProfileName!)];
            case NetProfileDeletedEvent deleted:
                return [tenant, (ObjectKind.NetProfile, deleted.Name)];
            case AppProfileSavedEvent saved:
                return AppProfileTouched(before, after, saved.Config.AppProfileName!);
            case AppProfileDeletedEvent deleted:
                return AppProfileTouched(before, after, deleted.Name);
            case ExtContractsGroupSavedEvent saved:
                return [(ObjectKind.ExtContractsGroup, saved.Config.ContractsGroupName!)];
            case ExtContractsGroupDeletedEvent deleted:
                return [(ObjectKind.ExtContractsGroup, deleted.Name)];
            case ServiceLbSavedEvent saved:
                return ServiceTouched(before, after, saved.Config.ServiceName!);
            case ServiceLbDeletedEvent deleted:
                return ServiceTouched(before, after, deleted.Name);
            // Endpoints and pool marks appear in no config view.
            default:
                return [];
        }
    }

    /// <summary>A group, and every view whose links or link-sets name it, before and after.</summary>
    private static IEnumerable<(ObjectKind, string)> GroupTouched(TenantState before, TenantState after, string name)
    {
        yield return (ObjectKind.Tenant, before.Name);
        yield return (ObjectKind.EndpointGroup, name);
        foreach (var state in new[] { before, after })
        {
            if (!state.Groups.TryGetValue(name, out var group)) continue;
            yield return (ObjectKind.Network, group.NetworkName!);
            foreach (var policy in group.Policies ?? []) yield return (ObjectKind.Policy, policy);
            foreach (var contracts in group.ExtContractsGrps ?? []) yield return (ObjectKind.ExtContractsGroup, contracts);
            if (group.NetProfile is { } profile) yield return (ObjectKind.NetProfile, profile);
        }
    }

    /// <summary>A rule, its policy and the groups it matches.</summary>
    private static IEnumerable<(ObjectKind, string)> RuleTouched(TenantState state, RuleConfig rule)
    {
        yield return (ObjectKind.Rule, TenantState.RuleKey(rule.PolicyName!, rule.RuleId!));
        yield return (ObjectKind.Policy, rule.PolicyName!);
        if (rule.FromEndpointGroup is { } from) yield return (ObjectKind.EndpointGroup, from);
        if (rule.ToEndpointGroup is { } to) yield return (ObjectKind.EndpointGroup, to);
    }

    /// <summary>An app profile and the groups it lists (their link to it), before and after.</summary>
    private static IEnumerable<(ObjectKind, string)> AppProfileTouched(TenantState before, TenantState after, string name)
    {
        yield return (ObjectKind.Tenant, before.Name);
        yield return (ObjectKind.AppProfile, name);
        foreach (var state in new[] { before, after })
        {
            if (state.AppProfiles.TryGetValue(name, out var app))
                foreach (var group in app.EndpointGroups ?? []) yield return (ObjectKind.EndpointGroup, group);
            foreach (var link in state.AppProfileOfGroup.Where(l => l.Value == name)) yield return (ObjectKind.EndpointGroup, link.Key);
        }
    }

    private static IEnumerable<(ObjectKind, string)> ServiceTouched(TenantState before, TenantState after, string name)
    {
        yield return (ObjectKind.Tenant, before.Name);
        yield return (ObjectKind.ServiceLb, name);
        foreach (var state in new[] { before, after })
            if (state.ServiceLbs.TryGetValue(name, out var service)) yield return (ObjectKind.Network, service.Config.NetworkName!);
    }

    private static IEnumerable<(ObjectKind, string)> Everything(TenantState state) =>
        ObjectKinds.All.Where(k => k.IsTenantScoped()).SelectMany(kind => Names(state, kind).Select(name => (kind, name)));

    /// <summary>The names of a kind's objects in the tenant, in the order lists give them.</summary>
    public static IEnumerable<string> Names(TenantState state, ObjectKind kind) => !state.Exists ? [] : kind switch
    {
        ObjectKind.Tenant => [state.Name],
        ObjectKind.Network => state.Networks.Keys,
        ObjectKind.EndpointGroup => state.Groups.Keys,
        ObjectKind.Policy => state.Policies.Keys,
        ObjectKind.Rule => state.Rules.Keys,
        ObjectKind.NetProfile => state.NetProfiles.Keys,
        ObjectKind.AppProfile => state.AppProfiles.Keys,
        ObjectKind.ExtContractsGroup => state.ExtContractsGroups.Keys,
        ObjectKind.ServiceLb => state.ServiceLbs.Keys,
        _ => [],
    };
}
