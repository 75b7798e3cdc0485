using System.Globalization;

namespace Contiv.Messages.Model;

/// <summary>What a rule's fields mean where they are optional or free text: read once here, so that the agents' flows
/// and the masters' verdicts cannot read a rule differently.</summary>
public static class RuleMeaning
{
    /// <summary>The IP protocol a rule names; null: every protocol (empty, or a name the API does not know).</summary>
    public static byte? ProtocolNumber(this RuleConfig rule) => rule.Protocol switch
    {
        null or "" => null,
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        var number when byte.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static bool IsOut(this RuleConfig rule) => rule.Direction == "out";

    public static bool IsDeny(this RuleConfig rule) => rule.Action == "deny";

    public static int EffectivePriority(this RuleConfig rule) => rule.Priority ?? 1;
}
