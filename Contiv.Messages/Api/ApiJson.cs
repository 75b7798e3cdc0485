using System.Text.Json;
using System.Text.Json.Serialization;

namespace Contiv.Messages.Api;

/// <summary>JSON as the v1 API speaks it: original field names, empty values omitted, unknown fields ignored.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        // Go's encoding/json matches field names without regard to case; netctl relies on the exact ones.
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        NumberHandling = JsonNumberHandling.Strict,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };
}
