using System.Text.Json;
using System.Text.Json.Nodes;
using Contiv.Messages.Api;
using Contiv.Messages.Model;

namespace Contiv.Master.Views;

/// <summary>A reference as the original wrote it: <c>{"type":"tenant","key":"t1"}</c>; an unset link is <c>{}</c>.</summary>
public sealed record Link(ObjectKind Kind, string Key);

/// <summary>Renders objects as the v1 API echoes them: config fields, <c>key</c>, <c>links</c>, <c>link-sets</c>.</summary>
public static class ObjectView
{
    public static string Render(IConfigObject config,
        IEnumerable<(string Name, Link? Target)>? links = null,
        IEnumerable<(string Name, IEnumerable<Link> Targets)>? linkSets = null)
    {
        var json = ConfigNode(config);
        json["key"] = config.Key;
        if (linkSets is not null)
        {
            var sets = new JsonObject();
            foreach (var (name, targets) in linkSets)
            {
                var set = new JsonObject();
                foreach (var target in targets) set[target.Key] = LinkNode(target);
                if (set.Count > 0) sets[name] = set;
            }
            json["link-sets"] = sets;
        }
        if (links is not null)
        {
            var linkObject = new JsonObject();
            foreach (var (name, target) in links) linkObject[name] = target is null ? new JsonObject() : LinkNode(target);
            json["links"] = linkObject;
        }
        return json.ToJsonString();
    }

    public static string Inspect(string configJson, JsonObject oper) =>
        new JsonObject { ["Config"] = JsonNode.Parse(configJson), ["Oper"] = oper }.ToJsonString();

    public static JsonObject ConfigNode(IConfigObject config) =>
        JsonSerializer.SerializeToNode(config, config.GetType(), ApiJson.Options)!.AsObject();

    /// <summary>Adds a field to an Oper object the way Go's omitempty would: zero, empty and null are left out.</summary>
    public static JsonObject With(this JsonObject oper, string name, object? value)
    {
        switch (value)
        {
            case null:
            case int and 0:
            case string { Length: 0 }:
            case JsonArray { Count: 0 }:
                return oper;
            case int number:
                oper[name] = number;
                return oper;
            case string text:
                oper[name] = text;
                return oper;
            case JsonNode node:
                oper[name] = node;
                return oper;
            default:
                throw new ArgumentException($"unsupported oper value {value.GetType().Name}", nameof(value));
        }
    }

    private static JsonObject LinkNode(Link link) => new() { ["type"] = link.Kind.TypeName(), ["key"] = link.Key };
}
