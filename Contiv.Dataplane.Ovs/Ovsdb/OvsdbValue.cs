using System.Text.Json;
using System.Text.Json.Nodes;

namespace Contiv.Dataplane.Ovs.Ovsdb;

/// <summary>
/// RFC 7047 §5.1 values: atoms (string, integer, real, boolean, <c>["uuid", ...]</c>,
/// <c>["named-uuid", ...]</c>), sets (<c>["set", [...]]</c>, or the bare atom for one element) and maps
/// (<c>["map", [[k, v], ...]]</c>). Builders return fresh nodes (a JsonNode has one parent); readers
/// accept every spelling the server may use.
/// </summary>
public static class OvsdbValue
{
    public static JsonNode Uuid(Guid uuid) => new JsonArray("uuid", uuid.ToString("D"));

    /// <summary>A row inserted earlier in the same transaction (its <c>uuid-name</c>).</summary>
    public static JsonNode NamedUuid(string name) => new JsonArray("named-uuid", name);

    public static JsonNode EmptySet() => new JsonArray("set", new JsonArray());

    public static JsonNode Set(IEnumerable<JsonNode?> atoms) => new JsonArray("set", new JsonArray(atoms.ToArray()));

    public static JsonNode Set(params string[] atoms) => Set(atoms.Select(a => (JsonNode?)JsonValue.Create(a)));

    public static JsonNode UuidSet(IEnumerable<Guid> uuids) => Set(uuids.Select(u => (JsonNode?)Uuid(u)));

    /// <summary>An optional (min 0, max 1) column: the atom, or the empty set for none.</summary>
    public static JsonNode Optional(string? value) => value is null ? EmptySet() : JsonValue.Create(value);

    public static JsonNode Optional(long? value) => value is null ? EmptySet() : JsonValue.Create(value.Value);

    public static JsonNode Map(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new JsonArray("map", new JsonArray(pairs.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (JsonNode?)new JsonArray(p.Key, p.Value)).ToArray()));

    // ---- readers ----

    /// <summary>The elements of a set-typed value (a bare atom is a one-element set).</summary>
    public static IReadOnlyList<JsonNode?> ReadSet(JsonNode? value)
    {
        if (value is JsonArray { Count: 2 } array && array[0] is JsonValue tag && tag.GetValueKind() == JsonValueKind.String
            && tag.GetValue<string>() == "set")
            return array[1] as JsonArray is { } elements ? [.. elements] : throw Malformed("set", value);
        return value is null ? [] : [value];
    }

    public static IReadOnlyList<string> ReadStringSet(JsonNode? value) => ReadSet(value).Select(ReadString).ToArray();

    public static IReadOnlyList<Guid> ReadUuidSet(JsonNode? value) => ReadSet(value).Select(ReadUuid).ToArray();

    public static IReadOnlyDictionary<string, string> ReadStringMap(JsonNode? value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is null) return map;
        if (value is not JsonArray { Count: 2 } array || array[0]?.GetValueKind() != JsonValueKind.String
            || array[0]!.GetValue<string>() != "map" || array[1] is not JsonArray pairs)
            throw Malformed("map", value);
        foreach (var pair in pairs)
        {
            if (pair is not JsonArray { Count: 2 } kv) throw Malformed("map pair", pair);
            map[ReadString(kv[0])] = ReadString(kv[1]);
        }
        return map;
    }

    public static string ReadString(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Malformed("string", value);

    /// <summary>An optional string column: null when the set is empty.</summary>
    public static string? ReadOptionalString(JsonNode? value) => ReadSet(value) switch
    {
        [] => null,
        [var one] => ReadString(one),
        _ => throw Malformed("optional string", value),
    };

    /// <summary>An optional integer column: null when the set is empty.</summary>
    public static long? ReadOptionalInteger(JsonNode? value) => ReadSet(value) switch
    {
        [] => null,
        [JsonValue one] when one.GetValueKind() == JsonValueKind.Number => one.GetValue<long>(),
        _ => throw Malformed("optional integer", value),
    };

    public static Guid ReadUuid(JsonNode? value)
    {
        if (value is JsonArray { Count: 2 } array && array[0]?.GetValueKind() == JsonValueKind.String
            && array[0]!.GetValue<string>() == "uuid" && array[1]?.GetValueKind() == JsonValueKind.String
            && Guid.TryParse(array[1]!.GetValue<string>(), out var uuid))
            return uuid;
        throw Malformed("uuid", value);
    }

    private static OvsdbProtocolException Malformed(string what, JsonNode? value) =>
        new($"expected an OVSDB {what}, got {value?.ToJsonString() ?? "null"}");
}
