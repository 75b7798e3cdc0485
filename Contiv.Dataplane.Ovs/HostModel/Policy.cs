using System.Collections.Immutable;

namespace Contiv.Dataplane.Ovs.HostModel;

public enum RuleDirection
{
    /// <summary>judges traffic arriving at the groups the policy is attached to</summary>
    In,
    /// <summary>judges traffic leaving the groups the policy is attached to</summary>
    Out,
}

public enum RuleAction
{
    Allow,
    Deny,
}

/// <summary>IP protocol numbers rules commonly name.</summary>
public static class IpProtocol
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
}

/// <summary>
/// One rule. Unset fields match anything. A port applies to tcp and udp only: with protocol tcp or
/// udp it matches that protocol's destination port, with no protocol it matches tcp or udp on that
/// port, with any other protocol it is ignored. Id is unique within its policy (the agent numbers
/// the original's string rule ids).
/// </summary>
public sealed record PolicyRule(
    uint Id,
    int Priority,
    RuleDirection Direction,
    RuleAction Action,
    byte? Protocol = null,
    ushort? Port = null,
    uint? FromGroup = null,
    uint? ToGroup = null,
    uint? FromNetwork = null,
    uint? ToNetwork = null,
    Ipv4Prefix? FromCidr = null,
    Ipv4Prefix? ToCidr = null)
{
    public const int MinPriority = 1;
    public const int MaxPriority = 100;
}

/// <summary>A policy: a set of rules keyed by rule id; it acts through the groups it is attached to.</summary>
public sealed record Policy(uint Id, uint Vrf, ImmutableSortedDictionary<uint, PolicyRule> Rules)
{
    public Policy(uint id, uint vrf, params PolicyRule[] rules) : this(id, vrf, rules.ToImmutableSortedDictionary(r => r.Id, r => r)) { }

    public Policy WithRule(PolicyRule rule) => this with { Rules = Rules.SetItem(rule.Id, rule) };
    public Policy WithoutRule(uint ruleId) => this with { Rules = Rules.Remove(ruleId) };

    public bool Equals(Policy? other) => other is not null && Id == other.Id && Vrf == other.Vrf && Structural.Equal(Rules, other.Rules);
    public override int GetHashCode() => HashCode.Combine(Id, Vrf, Rules.Count);
}
