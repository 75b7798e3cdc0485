using System.Text.Json.Nodes;

namespace Contiv.Cni;

/// <summary>The ADD result in the config's version, after the previous plugin's when chained.</summary>
public static class CniResult
{
    /// <param name="endpoint">the agent's answer: ip, prefixLength, mac, gateway</param>
    public static JsonObject Build(NetworkConfig config, CniInvocation invocation, JsonObject endpoint)
    {
        var prev = config.PrevResult;
        var interfaces = Copy(prev?["interfaces"]);
        var ips = Copy(prev?["ips"]);
        var routes = Copy(prev?["routes"]);
        var index = interfaces.Count;
        interfaces.Add((JsonNode)new JsonObject
        {
            ["name"] = invocation.IfName,
            ["mac"] = endpoint["mac"]?.GetValue<string>(),
            ["sandbox"] = invocation.Netns,
        });
        var gateway = endpoint["gateway"]?.GetValue<string>();
        var ip = new JsonObject();
        if (CniVersions.IpsCarryVersion(config.CniVersion)) ip["version"] = "4";
        ip["address"] = $"{endpoint["ip"]?.GetValue<string>()}/{endpoint["prefixLength"]?.GetValue<int>()}";
        if (gateway is not null) ip["gateway"] = gateway;
        ip["interface"] = index;
        ips.Add((JsonNode)ip);
        if (gateway is not null && !routes.OfType<JsonObject>().Any(r => r["dst"]?.GetValue<string>() == "0.0.0.0/0"))
            routes.Add((JsonNode)new JsonObject { ["dst"] = "0.0.0.0/0", ["gw"] = gateway });
        return new JsonObject
        {
            ["cniVersion"] = config.CniVersion,
            ["interfaces"] = interfaces,
            ["ips"] = ips,
            ["routes"] = routes,
            ["dns"] = prev?["dns"]?.DeepClone() ?? new JsonObject(),
        };
    }

    public static JsonObject Error(string version, CniError error)
    {
        var result = new JsonObject { ["cniVersion"] = version, ["code"] = error.Code, ["msg"] = error.Message };
        if (error.Details is not null) result["details"] = error.Details;
        return result;
    }

    public static JsonObject Version(string version) => new()
    {
        ["cniVersion"] = version,
        ["supportedVersions"] = new JsonArray([.. CniVersions.Supported.Select(v => (JsonNode)JsonValue.Create(v))]),
    };

    private static JsonArray Copy(JsonNode? node) => node is JsonArray array ? (JsonArray)array.DeepClone() : [];
}
