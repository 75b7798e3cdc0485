using System.Text;

namespace Contiv.Messages.Addressing;

/// <summary>Writes sets of addresses (or tags) the way the original's inspect did: <c>10.1.0.2-10.1.0.9, 10.1.0.12</c>.</summary>
public static class AddressRanges
{
    public static string Format(IEnumerable<uint> ascending, Func<uint, string> format, string separator = ", ")
    {
        var text = new StringBuilder();
        uint? start = null, previous = null;
        foreach (var value in ascending)
        {
            if (previous is { } p && value == p + 1) { previous = value; continue; }
            Flush(text, start, previous, format, separator);
            start = previous = value;
        }
        Flush(text, start, previous, format, separator);
        return text.ToString();
    }

    public static string FormatAddresses(IEnumerable<uint> ascending) => Format(ascending, Ipv4.Format);

    public static string FormatTags(IEnumerable<int> ascending) =>
        Format(ascending.Select(t => (uint)t), t => t.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void Flush(StringBuilder text, uint? start, uint? end, Func<uint, string> format, string separator)
    {
        if (start is not { } s || end is not { } e) return;
        if (text.Length > 0) text.Append(separator);
        text.Append(format(s));
        if (e != s) text.Append('-').Append(format(e));
    }
}
