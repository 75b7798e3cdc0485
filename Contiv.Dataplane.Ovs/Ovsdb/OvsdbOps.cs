using System.Text.Json.Nodes;

namespace Contiv.Dataplane.Ovs.Ovsdb;

/// <summary>A <c>where</c> clause element: <c>[column, function, value]</c> (RFC 7047 §5.1).</summary>
public static class OvsdbCondition
{
    public static JsonNode Equal(string column, JsonNode value) => new JsonArray(column, "==", value);
    public static JsonNode Equal(string column, string value) => Equal(column, JsonValue.Create(value));
    public static JsonNode NotEqual(string column, JsonNode value) => new JsonArray(column, "!=", value);
    public static JsonNode Includes(string column, JsonNode value) => new JsonArray(column, "includes", value);
    public static JsonNode Excludes(string column, JsonNode value) => new JsonArray(column, "excludes", value);
    public static JsonNode UuidIs(Guid uuid) => Equal("_uuid", OvsdbValue.Uuid(uuid));
}

/// <summary>A <c>mutate</c> mutation: <c>[column, mutator, value]</c>.</summary>
public static class OvsdbMutation
{
    public static JsonNode Insert(string column, JsonNode value) => new JsonArray(column, "insert", value);
    public static JsonNode Delete(string column, JsonNode value) => new JsonArray(column, "delete", value);
}

/// <summary>Builders for the operations of a <c>transact</c> (RFC 7047 §5.2).</summary>
public static class OvsdbOp
{
    public static JsonObject Insert(string table, JsonObject row, string? uuidName = null)
    {
        var op = new JsonObject { ["op"] = "insert", ["table"] = table, ["row"] = row };
        if (uuidName is not null) op["uuid-name"] = uuidName;
        return op;
    }

    public static JsonObject Select(string table, IEnumerable<JsonNode> where, IEnumerable<string>? columns = null)
    {
        var op = new JsonObject { ["op"] = "select", ["table"] = table, ["where"] = new JsonArray(where.ToArray()) };
        if (columns is not null) op["columns"] = new JsonArray(columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        return op;
    }

    public static JsonObject Update(string table, IEnumerable<JsonNode> where, JsonObject row) =>
        new() { ["op"] = "update", ["table"] = table, ["where"] = new JsonArray(where.ToArray()), ["row"] = row };

    public static JsonObject Mutate(string table, IEnumerable<JsonNode> where, params JsonNode[] mutations) =>
        new() { ["op"] = "mutate", ["table"] = table, ["where"] = new JsonArray(where.ToArray()), ["mutations"] = new JsonArray(mutations) };

    public static JsonObject Delete(string table, IEnumerable<JsonNode> where) =>
        new() { ["op"] = "delete", ["table"] = table, ["where"] = new JsonArray(where.ToArray()) };

    /// <summary>Succeeds only if the selected rows' <paramref name="columns"/> are (until "==") or are not
    /// (until "!=") exactly <paramref name="rows"/>; a timeout of 0 makes it an immediate check.</summary>
    public static JsonObject Wait(string table, IEnumerable<JsonNode> where, IEnumerable<string> columns, string until,
        IEnumerable<JsonObject> rows, int timeoutMs = 0) => new()
    {
        ["op"] = "wait",
        ["table"] = table,
        ["where"] = new JsonArray(where.ToArray()),
        ["columns"] = new JsonArray(columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        ["until"] = until,
        ["rows"] = new JsonArray(rows.Select(r => (JsonNode?)r).ToArray()),
        ["timeout"] = timeoutMs,
    };

    public static JsonObject Comment(string text) => new() { ["op"] = "comment", ["comment"] = text };

    public static JsonObject Abort() => new() { ["op"] = "abort" };

    /// <summary>"op" and "table" of an operation, for error messages.</summary>
    internal static string Describe(JsonNode? op)
    {
        var name = (op as JsonObject)?["op"]?.ToString() ?? "?";
        var table = (op as JsonObject)?["table"]?.ToString();
        return table is null ? name : $"{name} {table}";
    }
}
