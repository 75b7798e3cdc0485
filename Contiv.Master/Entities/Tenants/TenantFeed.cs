using System.Collections.Immutable;
using Contiv.Messages.Feed;
using Contiv.Messages.Tenancy;

namespace Contiv.Master.Entities.Tenants;

/// <summary>What agents must learn of a tenant: its views, and the view changes each event makes.</summary>
public static class TenantFeed
{
    public static string Source(string tenant) => "tenant/" + tenant;

    public static ImmutableArray<FeedView> Views(TenantState state) =>
    [
        .. state.Networks.Values.Select(n => (FeedView)new NetworkView(n.Config, n.Tags, state.Id)),
        .. state.Groups.Values.Select(g => (FeedView)new GroupView(g)),
        .. state.Policies.Keys.Select(p => (FeedView)new PolicyView(state.Name, p)),
        .. state.Rules.Values.Select(r => (FeedView)new RuleView(r)),
        .. state.Endpoints.Values.Where(e => e.Info is not null).Select(e => (FeedView)new EndpointView(e.Info!)),
    ];

    /// <summary>The changes an event made, from the states before and after it.</summary>
    public static ImmutableArray<FeedChange> Changes(ITenantEvent @event, TenantState before, TenantState after) => @event switch
    {
        NetworkCreatedEvent created => [Upsert(new NetworkView(created.Config, created.Tags, after.Id))],
        NetworkDeletedEvent deleted => [Remove(FeedKind.Network, deleted.Name, after)],
        EndpointGroupSavedEvent saved => [Upsert(new GroupView(saved.Config))],
        EndpointGroupDeletedEvent deleted => [Remove(FeedKind.Group, deleted.Name, after)],
        PolicySavedEvent saved => [Upsert(new PolicyView(after.Name, saved.Config.PolicyName!))],
        PolicyDeletedEvent deleted =>
        [
            .. before.RulesOf(deleted.Name).Select(r => FeedChange.Remove(new FeedKey(FeedKind.Rule, r.Key))),
            Remove(FeedKind.Policy, deleted.Name, after),
        ],
        RuleAddedEvent added => [Upsert(new RuleView(added.Config))],
        RuleDeletedEvent deleted => [FeedChange.Remove(new FeedKey(FeedKind.Rule, $"{after.Name}:{deleted.PolicyName}:{deleted.RuleId}"))],
        EndpointRecordedEvent recorded => [Upsert(new EndpointView(recorded.Endpoint))],
        EndpointUnregisteredEvent unregistered => [FeedChange.Remove(new FeedKey(FeedKind.Endpoint, unregistered.Id))],
        // A tenant's number arrives with its creation, and networks created later carry it; only a tenant
        // older than numbering learns it afterwards, and its networks must then be sent again.
        TenantNumberedEvent => [.. after.Networks.Values.Select(n => Upsert(new NetworkView(n.Config, n.Tags, after.Id)))],
        _ => [],
    };

    private static FeedChange Upsert(FeedView view) => FeedChange.Upsert(view);

    private static FeedChange Remove(FeedKind kind, string name, TenantState state) => FeedChange.Remove(new FeedKey(kind, $"{state.Name}:{name}"));
}
