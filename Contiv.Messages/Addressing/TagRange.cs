using System.Globalization;

namespace Contiv.Messages.Addressing;

/// <summary>A contiguous range of VLAN or VXLAN ids as global config writes it: <c>1-4094</c>.</summary>
public sealed record TagRange(int Min, int Max)
{
    public const int MaxVlan = 4094;
    public const int MaxVxlan = 65535;
    /// <summary>The original refused vxlan ranges wider than this (each needs a host-local VLAN).</summary>
    public const int MaxVxlanSpan = 16000;

    public bool Contains(int tag) => tag >= Min && tag <= Max;

    public override string ToString() => $"{Min}-{Max}";

    public static bool TryParseVlans(string? text, out TagRange range, out string error) =>
        TryParse(text, "vlans", MaxVlan, int.MaxValue, out range, out error);

    public static bool TryParseVxlans(string? text, out TagRange range, out string error) =>
        TryParse(text, "vxlans", MaxVxlan, MaxVxlanSpan, out range, out error);

    private static bool TryParse(string? text, string field, int maxValue, int maxSpan, out TagRange range, out string error)
    {
        range = new TagRange(0, 0);
        error = "";
        var parts = (text ?? "").Split('-');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            error = $"{field} {text}: expected a range like 1-{maxValue}";
            return false;
        }
        if (min < 1) { error = $"{field} {text}: values less than 1"; return false; }
        if (min > max) { error = $"{field} {text}: min is greater than max"; return false; }
        if (max > maxValue) { error = $"{field} {text}: values exceed {maxValue} max allowed"; return false; }
        if (max - min > maxSpan) { error = $"{field} {text}: a range may not span more than {maxSpan}"; return false; }
        range = new TagRange(min, max);
        return true;
    }
}
