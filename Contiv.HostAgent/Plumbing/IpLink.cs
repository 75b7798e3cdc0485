using System.Text.Json.Nodes;

namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// One link as <c>ip -j -d link show</c> reports it. For a veth, <see cref="PeerName"/> is set while the
/// peer is in the same namespace; once it is elsewhere only <see cref="PeerIndex"/> (its ifindex there)
/// is, with <see cref="PeerElsewhere"/>.
/// </summary>
internal sealed record IpLink(int Index, string Name, string? Kind, int Mtu, string Mac, bool Up, string? PeerName, int? PeerIndex, bool PeerElsewhere)
{
    public bool IsVeth => Kind == "veth";

    /// <summary>True when this link (seen in its own namespace) and <paramref name="other"/> (seen in
    /// another) are the two ends of one veth pair: each names the other's index across namespaces.</summary>
    public bool IsPeerAcrossNamespacesOf(IpLink other) =>
        IsVeth && other.IsVeth && PeerElsewhere && other.PeerElsewhere && PeerIndex == other.Index && other.PeerIndex == Index;

    public static IReadOnlyList<IpLink> ParseList(string json) =>
        ParseArray(json).Select(n => Parse(n as JsonObject ?? throw new PlumbingException($"unexpected `ip -j link` entry: {n?.ToJsonString()}"))).ToArray();

    private static IpLink Parse(JsonObject o) => new(
        (int)(o["ifindex"] ?? throw Missing("ifindex", o)),
        (string?)o["ifname"] ?? throw Missing("ifname", o),
        (string?)o["linkinfo"]?["info_kind"],
        (int?)o["mtu"] ?? 0,
        ((string?)o["address"] ?? "").ToLowerInvariant(),
        o["flags"] is JsonArray flags && flags.Any(f => (string?)f == "UP"),
        o["link_index"] is null ? (string?)o["link"] : null,
        (int?)o["link_index"],
        o["link_netnsid"] is not null);

    internal static JsonArray ParseArray(string json)
    {
        // ip prints nothing at all (not "[]") for some empty answers.
        if (string.IsNullOrWhiteSpace(json)) return [];
        return JsonNode.Parse(json) as JsonArray ?? throw new PlumbingException($"ip printed something other than a JSON array: {json}");
    }

    private static PlumbingException Missing(string field, JsonObject o) => new($"`ip -j link` entry without {field}: {o.ToJsonString()}");
}
