using System.Globalization;

namespace Contiv.Dataplane.Ovs.HostModel;

/// <summary>An IPv4 address as the 32-bit number the flows carry (network byte order as a value: 10.0.0.1 = 0x0a000001).</summary>
public readonly record struct Ipv4(uint Value) : IComparable<Ipv4>
{
    public static Ipv4 Parse(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4) throw new FormatException($"not an IPv4 address: '{text}'");
        uint value = 0;
        foreach (var part in parts) value = (value << 8) | byte.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
        return new Ipv4(value);
    }

    public int CompareTo(Ipv4 other) => Value.CompareTo(other.Value);

    public override string ToString() => $"{Value >> 24}.{(Value >> 16) & 0xff}.{(Value >> 8) & 0xff}.{Value & 0xff}";

    public static implicit operator Ipv4(string text) => Parse(text);
}

/// <summary>An IPv4 prefix (CIDR); the address is kept with its host bits cleared.</summary>
public readonly record struct Ipv4Prefix : IComparable<Ipv4Prefix>
{
    public Ipv4Prefix(Ipv4 address, int length)
    {
        if (length is < 0 or > 32) throw new ArgumentOutOfRangeException(nameof(length), "a prefix length is 0..32");
        Length = length;
        Address = new Ipv4(address.Value & Mask(length));
    }

    public Ipv4 Address { get; }
    public int Length { get; }

    public uint Mask() => Mask(Length);

    public bool Contains(Ipv4 address) => (address.Value & Mask()) == Address.Value;

    public static Ipv4Prefix Parse(string text)
    {
        var slash = text.IndexOf('/');
        return slash < 0
            ? new Ipv4Prefix(Ipv4.Parse(text), 32)
            : new Ipv4Prefix(Ipv4.Parse(text[..slash]), int.Parse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    public int CompareTo(Ipv4Prefix other) => Address.Value != other.Address.Value ? Address.CompareTo(other.Address) : Length.CompareTo(other.Length);

    public override string ToString() => $"{Address}/{Length}";

    public static implicit operator Ipv4Prefix(string text) => Parse(text);

    private static uint Mask(int length) => length == 0 ? 0u : 0xFFFFFFFFu << (32 - length);
}

/// <summary>A 48-bit Ethernet address as the number the flows carry (02:00:00:00:00:01 = 0x020000000001).</summary>
public readonly record struct MacAddress(ulong Value) : IComparable<MacAddress>
{
    public static MacAddress Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 6) throw new FormatException($"not a MAC address: '{text}'");
        ulong value = 0;
        foreach (var part in parts) value = (value << 8) | byte.Parse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return new MacAddress(value);
    }

    public int CompareTo(MacAddress other) => Value.CompareTo(other.Value);

    public override string ToString()
    {
        var value = Value;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => ((value >> (40 - 8 * i)) & 0xff).ToString("x2", CultureInfo.InvariantCulture)));
    }

    public static implicit operator MacAddress(string text) => Parse(text);
}
