using System.Text.Json.Nodes;
using Contiv.Messages.Model;
using Contiv.Tests.Support;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// Everything a master answers about its state, as one JSON document: per object kind the REST list,
/// and per object its GET and its inspect, and each endpoint's inspect. Lists are sorted by key: their order is not part of the
/// API (it follows shards). The inspect's Oper.servedBy names the cluster address of the serving
/// master, a new port on every start, so it is left out: it is not state.
/// </summary>
public static class RecordedState
{
    public static async Task<JsonObject> Read(RestClient rest, IEnumerable<string> endpointIds)
    {
        var lists = new JsonObject();
        var objects = new JsonObject();
        foreach (var plural in ObjectKinds.All.Select(k => k.Plural()))
        {
            var items = (await Body(rest.List(plural), $"list {plural}")).AsArray()
                .Select(item => item!.DeepClone()).OrderBy(item => Key(item, plural), StringComparer.Ordinal).ToList();
            lists[plural] = new JsonArray([.. items]);
            foreach (var key in items.Select(item => Key(item, plural)))
            {
                var inspect = await Body(rest.Inspect(plural, key), $"inspect {plural}/{key}");
                (inspect["Oper"] as JsonObject)?.Remove("servedBy");
                objects[$"{plural}/{key}"] = new JsonObject
                {
                    ["get"] = await Body(rest.Get(plural, key), $"GET {plural}/{key}"),
                    ["inspect"] = inspect,
                };
            }
        }
        foreach (var id in endpointIds)
            objects[$"endpoints/{id}"] = new JsonObject { ["inspect"] = await Body(rest.Inspect("endpoints", id), $"inspect endpoints/{id}") };
        return new JsonObject { ["lists"] = lists, ["objects"] = objects };
    }

    private static string Key(JsonNode? item, string plural) =>
        item?["key"]?.GetValue<string>() is { Length: > 0 } key ? key
            : throw new InvalidOperationException($"a listed {plural} object has no key: {item?.ToJsonString()}");

    private static async Task<JsonNode> Body(Task<RestReply> call, string what)
    {
        var reply = await call;
        if (!reply.Ok) throw new InvalidOperationException($"{what}: {reply}");
        return JsonNode.Parse(reply.Body) ?? throw new InvalidOperationException($"{what}: empty body");
    }
}
