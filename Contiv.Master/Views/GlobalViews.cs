using System.Text.Json.Nodes;
using Contiv.Master.Entities.Global;
using Contiv.Messages.Addressing;
using Contiv.Messages.Model;

namespace Contiv.Master.Views;

/// <summary>Views of global's objects: the global settings and the Bgp configs.</summary>
public static class GlobalViews
{
    /// <summary>The object as GET answers it, or null when there is no such object.</summary>
    public static string? View(GlobalState state, ObjectKind kind, string key) => kind switch
    {
        ObjectKind.Global when key == GlobalDefaults.Name => ObjectView.Render(state.Config),
        ObjectKind.Bgp when state.Bgps.TryGetValue(key, out var bgp) => ObjectView.Render(bgp),
        _ => null,
    };

    public static IEnumerable<string> List(GlobalState state, ObjectKind kind) => kind switch
    {
        ObjectKind.Global => [View(state, ObjectKind.Global, GlobalDefaults.Name)!],
        ObjectKind.Bgp => state.Bgps.Values.Select(b => ObjectView.Render(b)),
        _ => [],
    };

    /// <summary>Inspect: Config plus, for the global settings, the allocators' use.</summary>
    public static string? Inspect(GlobalState state, ObjectKind kind, string key)
    {
        var config = View(state, kind, key);
        if (config is null) return null;
        var oper = new JsonObject();
        if (kind == ObjectKind.Global)
        {
            var vxlanStart = TagRange.TryParseVxlans(state.Config.Vxlans, out var vxlans, out _) ? vxlans.Min - 1 : 0;
            oper.With("numNetworks", state.NetworkCount)
                .With("vlansInUse", AddressRanges.FormatTags(state.VlansInUse))
                .With("vxlansInUse", AddressRanges.FormatTags(state.VnisInUse))
                .With("freeVXLANsStart", vxlanStart)
                .With("clusterMode", "docker");
        }
        return ObjectView.Inspect(config, oper);
    }
}
