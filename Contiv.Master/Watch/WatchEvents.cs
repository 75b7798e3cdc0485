using Contiv.Master.Entities.Global;
using Contiv.Master.Reads;
using Contiv.Master.Views;
using Contiv.Messages.Model;

namespace Contiv.Master.Watch;

/// <summary>The watch events of one change the read model applied, pure: views as the read model renders them.</summary>
public static class WatchEvents
{
    /// <summary>A tenant's change: a put or delete per view it touched, then the tenant's own event.</summary>
    public static IEnumerable<WatchEvent> OfTenantChange(TenantReplica after, IEnumerable<(ObjectKind Kind, string Name)> touched)
    {
        var tenant = after.State.Name;
        foreach (var (kind, name) in touched.OrderBy(t => t.Kind).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            var key = kind == ObjectKind.Tenant ? name : $"{tenant}:{name}";
            yield return after.LazyView(kind, name) is { } view
                ? new WatchEvent(WatchEventType.Put, kind, key, tenant, view)
                : new WatchEvent(WatchEventType.Delete, kind, key, tenant);
        }
        yield return new WatchEvent(WatchEventType.Tenant, Tenant: tenant);
    }

    /// <summary>A tenant loaded whole (the read model missed changes, or met the tenant for the first time): what changed is not known.</summary>
    public static IEnumerable<WatchEvent> OfTenantReload(string tenant) =>
        [new WatchEvent(WatchEventType.Resync, Tenant: tenant, Reason: $"tenant {tenant} was reloaded"), new WatchEvent(WatchEventType.Tenant, Tenant: tenant)];

    /// <summary>Global's objects that differ between two states: the settings, and each Bgp created, changed or removed.</summary>
    public static IEnumerable<WatchEvent> OfGlobalChange(GlobalState? before, GlobalState after)
    {
        if (before?.Config != after.Config)
            yield return Put(after, ObjectKind.Global, GlobalDefaults.Name);
        foreach (var (host, bgp) in after.Bgps)
            if (before is null || !before.Bgps.TryGetValue(host, out var was) || was != bgp)
                yield return Put(after, ObjectKind.Bgp, host);
        if (before is null) yield break;
        foreach (var host in before.Bgps.Keys.Where(h => !after.Bgps.ContainsKey(h)))
            yield return new WatchEvent(WatchEventType.Delete, ObjectKind.Bgp, host);
    }

    private static WatchEvent Put(GlobalState state, ObjectKind kind, string key) =>
        new(WatchEventType.Put, kind, key, Json: new Lazy<string>(() => GlobalViews.View(state, kind, key)!));
}
