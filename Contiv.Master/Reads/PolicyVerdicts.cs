using System.Collections.Immutable;
using System.Globalization;
using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Addressing;
using Contiv.Messages.Model;

namespace Contiv.Master.Reads;

/// <summary>One side of a connection judged: the rules, in one direction, of the policies on the endpoint's group.</summary>
/// <param name="Direction"><c>out</c> for the source's side, <c>in</c> for the destination's</param>
/// <param name="Policies">the policies attached to <paramref name="Group"/>, whose rules of this direction were weighed</param>
/// <param name="Deciding">the rule that decides: the matching one of highest priority (a deny on a tie); null: none matched</param>
public sealed record SideVerdict(string Direction, string? Group, ImmutableArray<string> Policies, RuleConfig? Deciding, bool Denies, string Reason);

/// <summary>A new connection of one protocol: admitted only if neither side denies it.</summary>
/// <param name="Port">the destination port probed; null for icmp, which has none</param>
/// <param name="Source">null when the endpoints cannot reach each other at all, whatever the rules</param>
public sealed record ProtocolVerdict(string Protocol, int? Port, bool Admitted, string Reason, SideVerdict? Source, SideVerdict? Destination);

/// <param name="Unreachable">why the two never reach each other (tenants, bridge mode, no address); null: policy decides</param>
public sealed record PairVerdict(TenantEndpoint From, TenantEndpoint To, string? Unreachable, ImmutableArray<ProtocolVerdict> Verdicts);

/// <summary>
/// Pure: who may open a connection to whom, from the intent alone, by DESIGN §5 — the meaning the flow compiler
/// implements, so the console can say what the datapath will do and which rule makes it so, before any packet is sent.
/// </summary>
public static class PolicyVerdicts
{
    /// <summary>The protocols the console probes, with their IP protocol numbers.</summary>
    public static readonly ImmutableArray<(string Name, int Number)> Probes = [("tcp", 6), ("udp", 17), ("icmp", 1)];

    public static PairVerdict Judge(string fwdMode, TenantState fromTenant, TenantEndpoint from, TenantState toTenant, TenantEndpoint to, int port)
    {
        var unreachable = Unreachable(fwdMode, fromTenant, from, toTenant, to);
        var verdicts = Probes.Select(probe =>
        {
            int? probed = probe.Number == 1 ? null : port;
            if (unreachable is not null) return new ProtocolVerdict(probe.Name, probed, false, unreachable, null, null);
            var source = Side(fromTenant, from, to, "out", from.Spec.Group, probe.Number, port);
            var destination = Side(toTenant, from, to, "in", to.Spec.Group, probe.Number, port);
            var admitted = !source.Denies && !destination.Denies;
            var reason = admitted ? "neither side denies it"
                : source.Denies && destination.Denies ? "both sides deny it"
                : source.Denies ? "the source's side denies it" : "the destination's side denies it";
            return new ProtocolVerdict(probe.Name, probed, admitted, reason, source, destination);
        });
        return new PairVerdict(from, to, unreachable, [.. verdicts]);
    }

    /// <summary>What keeps two endpoints apart whatever the rules say; null when policy decides.</summary>
    public static string? Unreachable(string fwdMode, TenantState fromTenant, TenantEndpoint from, TenantState toTenant, TenantEndpoint to)
    {
        if (from.Info is null) return $"endpoint {from.Id} has no address yet";
        if (to.Info is null) return $"endpoint {to.Id} has no address yet";
        if (fromTenant.Name != toTenant.Name) return $"tenants never reach each other: {from.Id} is in tenant {fromTenant.Name}, {to.Id} in {toTenant.Name}";
        if (fwdMode != "routing" && from.Spec.Network != to.Spec.Network)
            return $"in bridge mode only endpoints of one network reach each other: {from.Spec.Network} and {to.Spec.Network} differ (fwdMode routing would route them)";
        return null;
    }

    private static SideVerdict Side(TenantState tenant, TenantEndpoint from, TenantEndpoint to, string direction, string? group, int protocol, int port)
    {
        var policies = group is not null && tenant.Groups.TryGetValue(group, out var config) ? [.. config.Policies ?? []] : ImmutableArray<string>.Empty;
        var matching = policies.SelectMany(tenant.RulesOf)
            .Where(rule => (rule.IsOut() ? "out" : "in") == direction && Matches(tenant, rule, from, to, protocol, port))
            .ToList();
        var whose = direction == "out" ? "the source's" : "the destination's";
        if (matching.Count == 0)
        {
            var none = policies.IsEmpty ? $"{whose} group has no policy" : $"no {direction} rule of {string.Join(", ", policies)} matches";
            return new SideVerdict(direction, group, policies, null, false, $"{none}: allowed");
        }
        var top = matching.Max(RuleMeaning.EffectivePriority);
        var deciding = matching.Where(r => r.EffectivePriority() == top).OrderBy(r => r.IsDeny() ? 0 : 1).First();
        var denies = deciding.IsDeny();
        var tie = matching.Count(r => r.EffectivePriority() == top) > 1 ? ", deny winning the tie" : "";
        return new SideVerdict(direction, group, policies, deciding, denies,
            $"rule {deciding.PolicyName}/{deciding.RuleId} (priority {top}, {(denies ? "deny" : "allow")}) is the highest-priority match{(denies ? tie : "")}");
    }

    /// <summary>Does the rule match a new connection? A rule naming what its tenant does not hold matches nothing, as on the hosts.</summary>
    public static bool Matches(TenantState tenant, RuleConfig rule, TenantEndpoint from, TenantEndpoint to, int protocol, int port)
    {
        var ruleProtocol = rule.ProtocolNumber();
        if (ruleProtocol is { } named && named != protocol) return false;
        if (rule.Port > 0 && ruleProtocol is null or 6 or 17 && (protocol is not (6 or 17) || port != rule.Port)) return false;
        if (!Names(rule.FromEndpointGroup, from.Spec.Group, tenant.Groups.ContainsKey)) return false;
        if (!Names(rule.ToEndpointGroup, to.Spec.Group, tenant.Groups.ContainsKey)) return false;
        if (!Names(rule.FromNetwork, from.Spec.Network, tenant.Networks.ContainsKey)) return false;
        if (!Names(rule.ToNetwork, to.Spec.Network, tenant.Networks.ContainsKey)) return false;
        if (!Covers(rule.FromIpAddress, from.Info!.IpAddress)) return false;
        if (!Covers(rule.ToIpAddress, to.Info!.IpAddress)) return false;
        return true;
    }

    private static bool Names(string? named, string? actual, Func<string, bool> exists) =>
        string.IsNullOrEmpty(named) || (named == actual && exists(named));

    /// <summary>A rule's address: <c>a.b.c.d</c>, <c>a.b.c.d/len</c>, or a last-octet range <c>a.b.c.d-e</c> (with or without <c>/len</c>).</summary>
    public static bool Covers(string? spec, string address)
    {
        if (string.IsNullOrEmpty(spec)) return true;
        if (!Ipv4.TryParse(address, out var ip)) return false;
        var slash = spec.IndexOf('/');
        var length = slash < 0 ? 32 : int.Parse(spec[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        var addressPart = slash < 0 ? spec : spec[..slash];
        var dash = addressPart.IndexOf('-');
        if (!Ipv4.TryParse(dash < 0 ? addressPart : addressPart[..dash], out var first)) return false;
        if (dash < 0) return (ip & Ipv4.Mask(length)) == (first & Ipv4.Mask(length));
        var last = (first & 0xFFFFFF00u) | uint.Parse(addressPart[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        return ip >= first && ip <= last;
    }
}
