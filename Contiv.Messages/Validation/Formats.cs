using System.Text.RegularExpressions;

namespace Contiv.Messages.Validation;

/// <summary>
/// The <c>format</c> regexes of the original model (contivmodel JSON schemas), translated from
/// Go's RE2 to .NET. The patterns are the originals character for character, except that every
/// end anchor <c>$</c> is written <c>\z</c>: in .NET <c>$</c> also matches before a final
/// newline, in RE2 it does not, so <c>"t1\n"</c> would otherwise pass. <c>^</c> already means
/// start of text in both. All run with <see cref="RegexOptions.NonBacktracking"/> (linear time,
/// like RE2); being anchored at both ends, whether a string matches does not depend on the
/// engine's leftmost-first/longest choices, so .NET and Go accept exactly the same strings.
/// Quirks kept on purpose: <c>[kmgKMG{1}]</c> in bandwidth is a character class that also
/// admits '{', '1' and '}'; the rule/tenant network and group references accept a trailing dot.
/// </summary>
public static class Formats
{
    private const string Octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private const string Ipv4 = "(" + Octet + @"(\." + Octet + "){3})";
    private const string MaskLen = "(3[0-1]|2[0-9]|1[0-9]|[1-9])";
    private const string Label = "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])";
    private const string LastLabel = "([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9\\-]*[A-Za-z0-9])";
    private const string Hex = "([0-9]|[a-f]|[A-F])";
    private const string Ipv6 =
        "(((" + Hex + "{1,4})((\\:" + Hex + "{1,4}){7}))|(((" + Hex + "{1,4}\\:){0,6}|\\:)((\\:" + Hex + "{1,4}){0,6}|\\:)))";

    /// <summary>Object names (tenantName, networkName, groupName, policyName, ruleId, ...): dot-separated DNS-like labels.</summary>
    public static readonly Regex Name = Make("^(" + Label + "\\.)*" + LastLabel + "\\z");

    /// <summary>Name references of rules and tenant defaultNetwork: as <see cref="Name"/>, but the last label is optional.</summary>
    public static readonly Regex NameReference = Make("^(" + Label + "\\.)*" + LastLabel + "?\\z");

    /// <summary>cfgdTag of networks and groups: a name or empty.</summary>
    public static readonly Regex Tag = Make("^((" + Label + "\\.)*" + LastLabel + ")?\\z");

    /// <summary>Network subnet: <c>a.b.c.d/len</c> or <c>a.b.c.d-a.b.c.e/len</c>, len 1..31.</summary>
    public static readonly Regex Subnet = Make("^" + Ipv4 + "(\\-" + Ipv4 + ")?/" + MaskLen + "\\z");

    /// <summary>A single IPv4 address or empty (network gateway, serviceLB ipAddress, Bgp neighbor).</summary>
    public static readonly Regex OptionalIpv4 = Make("^" + Ipv4 + "?\\z");

    /// <summary>Endpoint group ipPool: empty, an address, or an address range.</summary>
    public static readonly Regex IpPool = Make("^\\z|^" + Ipv4 + "(\\-" + Ipv4 + ")?\\z");

    /// <summary>Network ipv6Subnet: an IPv6 address with a prefix length 1..127 (only [0-2][0-7] past 100), or empty.</summary>
    public static readonly Regex Ipv6Subnet = Make("^(" + Ipv6 + "/(1[0-2][0-7]|[1-9][0-9]|[1-9]))?\\z");

    /// <summary>Network ipv6Gateway: an IPv6 address or empty.</summary>
    public static readonly Regex Ipv6Gateway = Make("^" + Ipv6 + "?\\z");

    /// <summary>Rule from/toIpAddress: an address, optionally with a last-octet range and/or a prefix length, or empty.</summary>
    public static readonly Regex RuleIpAddress = Make("^(" + Ipv4 + "(\\-" + Octet + ")?(/" + MaskLen + ")?)?\\z");

    /// <summary>Bgp routerip: an address, optionally with a last-octet range, with a prefix length.</summary>
    public static readonly Regex RouterIp = Make("^" + Ipv4 + "(\\-" + Octet + ")?/" + MaskLen + "\\z");

    /// <summary>Global pvtSubnet: an address with /16.</summary>
    public static readonly Regex PvtSubnet = Make("^" + Ipv4 + "/16\\z");

    public static readonly Regex NwType = Make("^(infra|data)\\z");
    public static readonly Regex Encap = Make("^(vlan|vxlan)\\z");
    public static readonly Regex Direction = Make("^(in|out)\\z");
    public static readonly Regex Action = Make("^(allow|deny)\\z");
    public static readonly Regex Protocol = Make("^(tcp|udp|icmp||[0-9]{1,3}?)\\z");
    public static readonly Regex GlobalName = Make("^(global)\\z");
    public static readonly Regex NetworkInfraType = Make("^(aci|aci-opflex|default)?\\z");
    public static readonly Regex Vlans = Make("^([0-9]{1,4}?-[0-9]{1,4}?)\\z");
    public static readonly Regex Vxlans = Make("^([0-9]{1,8}?-[0-9]{1,8}?)\\z");
    public static readonly Regex FwdMode = Make("^(bridge|routing)?\\z");
    public static readonly Regex ArpMode = Make("^(proxy|flood)?\\z");

    /// <summary>Netprofile bandwidth: <c>10 gbps</c>, <c>10gbps</c>, <c>10 Mb</c>, <c>10M</c>, ... (number without leading zero).</summary>
    public static readonly Regex Bandwidth = Make(
        "^([1-9][0-9]* (([kmgKMG{1}]bps)|[kmgKMG{1}]|(kb|Kb|Gb|gb|Mb|mb)))?\\z" +
        "|^([1-9][0-9]*(((k|m|g|K|G|M)bps)|(k|m|g|K|M|G)|(kb|Kb|Gb|gb|Mb|mb)))?\\z");

    private static Regex Make(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
}
