using System.Collections.Immutable;
using Contiv.Messages.Globals;

namespace Contiv.Master.Entities.Global;

/// <summary>Global's state to and from its snapshot: the entity's snapshot store and every read model's dump.</summary>
public static class GlobalSnapshots
{
    public static GlobalSnapshot Capture(GlobalState state) => new(state.Config, state.Initialized,
        [.. state.TagsOf.Select(t => new NetworkTagsHolding(t.Key, t.Value))],
        [.. state.Tenants.Keys], [.. state.Bgps.Values], [.. state.Tenants.Values], state.HighestTenantId);

    public static GlobalState Restore(GlobalSnapshot snapshot, string defaultFwdMode)
    {
        var state = GlobalState.Initial(defaultFwdMode) with
        {
            Config = snapshot.Config,
            Initialized = snapshot.Initialized,
            // Snapshots from before tenants had numbers: number them in name order.
            Tenants = snapshot.TenantIds.IsDefault
                ? snapshot.Tenants.Select((name, i) => KeyValuePair.Create(name, name == GlobalDefaults.DefaultTenant ? GlobalDefaults.DefaultTenantId : GlobalDefaults.DefaultTenantId + 1 + i))
                    .ToImmutableSortedDictionary()
                : snapshot.Tenants.Zip(snapshot.TenantIds, KeyValuePair.Create).ToImmutableSortedDictionary(),
            HighestTenantId = Math.Max(snapshot.HighestTenantId, GlobalDefaults.DefaultTenantId + snapshot.Tenants.Length),
        };
        IEnumerable<IGlobalEvent> events =
        [
            .. snapshot.Tags.Select(t => new NetworkTagsTakenEvent(t.Owner, t.Tags)),
            .. snapshot.Bgps.Select(b => new BgpSavedEvent(b)),
        ];
        return events.Aggregate(state, (s, e) => s.Apply(e));
    }
}
