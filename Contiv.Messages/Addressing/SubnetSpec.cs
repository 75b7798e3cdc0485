namespace Contiv.Messages.Addressing;

/// <summary>
/// A network's subnet as the v1 API writes it: <c>10.1.0.0/16</c>, or a range inside a prefix,
/// <c>20.1.1.10-20.1.1.45/24</c>. <see cref="First"/>..<see cref="Last"/> is the span the network owns
/// (overlap is judged on it); the prefix's network and broadcast addresses are never handed out.
/// </summary>
public sealed record SubnetSpec(uint First, uint Last, int PrefixLength)
{
    /// <summary>The largest network we keep a bitmap for: a /8 (16M addresses, 2 MiB).</summary>
    public const int LargestPrefix = 8;

    public uint PrefixBase => First & Ipv4.Mask(PrefixLength);
    public uint Broadcast => PrefixBase | ~Ipv4.Mask(PrefixLength);
    public uint Size => Last - First + 1;

    public bool Contains(uint address) => address >= First && address <= Last;
    public bool InPrefix(uint address) => (address & Ipv4.Mask(PrefixLength)) == PrefixBase;
    public bool Overlaps(SubnetSpec other) => First <= other.Last && other.First <= Last;

    /// <summary>Addresses never handed out: the prefix's network and broadcast addresses.</summary>
    public bool IsReserved(uint address) =>
        PrefixLength < 31 && (address == PrefixBase || address == Broadcast);

    public static bool TryParse(string? text, out SubnetSpec spec, out string error)
    {
        spec = new SubnetSpec(0, 0, 0);
        error = "";
        if (string.IsNullOrEmpty(text)) { error = "subnet is required"; return false; }
        var slash = text.IndexOf('/');
        if (slash < 0 || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 1 or > 32)
        {
            error = $"subnet {text} needs a prefix length /1../32";
            return false;
        }
        if (prefix < LargestPrefix)
        {
            error = $"subnet {text} is too large: the largest network is /{LargestPrefix}";
            return false;
        }
        var addresses = text[..slash].Split('-');
        if (addresses.Length > 2 || !Ipv4.TryParse(addresses[0], out var first))
        {
            error = $"subnet {text} string invalid format";
            return false;
        }
        var mask = Ipv4.Mask(prefix);
        if (addresses.Length == 1)
        {
            var network = first & mask;
            spec = new SubnetSpec(network, network | ~mask, prefix);
            return true;
        }
        if (!Ipv4.TryParse(addresses[1], out var last))
        {
            error = $"subnet {text} string invalid format";
            return false;
        }
        if (last < first || (first & mask) != (last & mask))
        {
            error = $"subnet {text}: the range must be ascending and inside the /{prefix}";
            return false;
        }
        spec = new SubnetSpec(first, last, prefix);
        return true;
    }

    public static SubnetSpec Parse(string text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);
}
