using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Contiv.Messages.Addressing;

/// <summary>IPv4 addresses as host-order integers: allocation is arithmetic on them.</summary>
public static class Ipv4
{
    public static bool TryParse(string? text, out uint address)
    {
        address = 0;
        if (string.IsNullOrEmpty(text)) return false;
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit)) return false;
            var octet = int.Parse(part, CultureInfo.InvariantCulture);
            if (octet > 255) return false;
            address = (address << 8) | (uint)octet;
        }
        return true;
    }

    public static uint Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address");

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}";

    public static uint Mask(int prefixLength) =>
        prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);

    /// <summary>The MAC the original derived from an address: 02:02 and the four address bytes.</summary>
    public static string MacFor(uint address) =>
        $"02:02:{address >> 24:x2}:{(address >> 16) & 0xff:x2}:{(address >> 8) & 0xff:x2}:{address & 0xff:x2}";

    public static bool TryParseIpv6Network(string? text, out IPNetwork network)
    {
        network = default;
        return !string.IsNullOrEmpty(text)
               && IPNetwork.TryParse(NormalizeIpv6Prefix(text), out network)
               && network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>The original accepted host bits in an IPv6 prefix (<c>2016:0617::/120</c> is fine, but so was
    /// <c>2001:3332:3244:2422::1/64</c>); IPNetwork does not, so clear them first.</summary>
    private static string NormalizeIpv6Prefix(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > 128)
            return text;
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < 128; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return $"{new IPAddress(bytes)}/{length}";
    }

    public static bool Ipv6Overlap(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);
}
