using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Contiv.Messages.Model;

namespace Contiv.Messages.Api;

/// <summary>
/// JSON as the v1 API speaks it: original field names, empty values omitted. Unlike the original,
/// an unknown field in a request is refused (<see cref="UnknownField"/>): a misspelt
/// <c>"actoin": "deny"</c> would otherwise store a rule without its action. Only the fields the
/// original clients send back from an answer (<see cref="EchoedFields"/>) are read and dropped.
/// </summary>
public static class ApiJson
{
    /// <summary>
    /// What the original netctl (its Go client structs) and clients that post back a GET's answer send
    /// beside the writable fields: the object key and its links. They are derived, never stored.
    /// </summary>
    public static readonly IReadOnlyList<string> EchoedFields = ["key", "links", "link-sets"];

    public static readonly JsonSerializerOptions Options = new()
    {
        // Go's encoding/json matches field names without regard to case; netctl relies on the exact ones.
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        NumberHandling = JsonNumberHandling.Strict,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AcceptEchoedFields } },
    };

    /// <summary>
    /// The first top-level field of <paramref name="json"/> that <paramref name="configType"/> does not
    /// have, or null. System.Text.Json's refusal of an unmapped member names the type, not the field.
    /// </summary>
    public static string? UnknownField(ReadOnlySpan<byte> json, Type configType)
    {
        var known = Options.GetTypeInfo(configType).Properties.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Options.MaxDepth });
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var name = reader.GetString()!;
                if (!known.Contains(name)) return name;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Malformed before any unknown field: the caller reports the JSON error instead.
        }
        return null;
    }

    private static void AcceptEchoedFields(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || !typeof(IConfigObject).IsAssignableFrom(type.Type)) return;
        foreach (var field in EchoedFields)
        {
            // The records' own [JsonIgnore] Key, never written or read, would collide with it by name.
            foreach (var ignored in type.Properties.Where(p => p.Set is null && string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)).ToList())
                type.Properties.Remove(ignored);
            // Read and dropped: no getter, so never written in an answer.
            var property = type.CreateJsonPropertyInfo(typeof(JsonElement), field);
            property.Set = static (_, _) => { };
            type.Properties.Add(property);
        }
    }
}
