using System.Collections.Immutable;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Messages.Feed;
using Contiv.Messages.Model;
using Network = Contiv.Dataplane.Ovs.HostModel.Network;

namespace Contiv.HostAgent.Translation;

/// <summary>Where this host is and which OVS ports it has: what the feed alone does not say.</summary>
/// <param name="LocalPorts">endpoint id → ofport of the endpoints plumbed on this host</param>
/// <param name="TunnelPorts">remote VTEP address → ofport of the VXLAN port towards it</param>
public sealed record HostFacts(
    string Host,
    Ipv4 VtepIp,
    uint? UplinkPort,
    IReadOnlyDictionary<string, uint> LocalPorts,
    IReadOnlyDictionary<Ipv4, uint> TunnelPorts);

/// <summary>The lookups a translation made from the structural views, kept so single endpoints and policies can be redone alone.</summary>
public sealed record TranslationContext(
    HostFacts Facts,
    IdTable Ids,
    ImmutableDictionary<string, Network> Networks,
    ImmutableDictionary<string, (uint Id, Network Network)> Groups,
    ImmutableDictionary<string, uint> Policies,
    ImmutableDictionary<string, ImmutableDictionary<string, RuleConfig>> Rules,
    ImmutableDictionary<string, uint> Vrfs,
    ImmutableDictionary<string, Ipv4> Vteps);

public sealed record HostTranslation(HostState State, TranslationContext Context);

/// <summary>
/// Pure: the feed's views plus this host's facts → the dataplane's <see cref="HostState"/>. Objects that
/// refer to something not (yet) in the views are left out rather than guessed at; the next delta
/// that brings the missing piece brings them in.
/// </summary>
public static class HostStateTranslator
{
    /// <summary>The virtual gateway's MAC on every network, as the original used.</summary>
    public static readonly MacAddress GatewayMac = MacAddress.Parse("00:00:11:11:11:11");

    public static HostTranslation Translate(IReadOnlyCollection<FeedView> views, HostFacts facts, IdTable ids)
    {
        var settings = views.OfType<SettingsView>().FirstOrDefault() ?? new SettingsView("bridge", "proxy");
        var state = new HostState(new HostSettings(
            settings.FwdMode == "routing" ? ForwardingMode.Routing : ForwardingMode.Bridge,
            settings.ArpMode == "flood" ? ArpMode.Flood : ArpMode.Proxy,
            facts.UplinkPort, facts.VtepIp));

        var networks = ImmutableDictionary.CreateBuilder<string, Network>(StringComparer.Ordinal);
        foreach (var view in views.OfType<NetworkView>().Where(n => n.TenantId > 0))
        {
            var network = ToNetwork(view);
            if (network is null) continue;
            networks[view.Config.Key] = network;
            state = state.WithNetwork(network);
        }

        var groups = ImmutableDictionary.CreateBuilder<string, (uint Id, Network Network)>(StringComparer.Ordinal);
        foreach (var view in views.OfType<GroupView>())
        {
            if (!networks.TryGetValue($"{view.Config.TenantName}:{view.Config.NetworkName}", out var network)) continue;
            (var id, ids) = ids.Get("group/" + view.Config.Key);
            groups[view.Config.Key] = (id, network);
            state = state.WithGroup(new EndpointGroup(id, network.Vrf, network.Id));
        }

        var vrfs = views.OfType<NetworkView>().Where(n => n.TenantId > 0).GroupBy(n => n.Config.TenantName!)
            .ToImmutableDictionary(g => g.Key, g => (uint)g.First().TenantId, StringComparer.Ordinal);
        var vteps = views.OfType<HostView>().ToImmutableDictionary(h => h.Name, h => Ipv4.Parse(h.VtepIp), StringComparer.Ordinal);
        var rules = views.OfType<RuleView>().GroupBy(r => r.PolicyKey)
            .ToImmutableDictionary(g => g.Key, g => g.ToImmutableDictionary(r => r.Config.RuleId!, r => r.Config, StringComparer.Ordinal), StringComparer.Ordinal);
        var context = new TranslationContext(facts, ids, networks.ToImmutable(), groups.ToImmutable(),
            ImmutableDictionary<string, uint>.Empty.WithComparers(StringComparer.Ordinal), rules, vrfs, vteps);
        var translation = new HostTranslation(state, context);

        foreach (var view in views.OfType<PolicyView>()) translation = WithPolicy(translation, view);
        foreach (var view in views.OfType<GroupView>())
        {
            if (!groups.TryGetValue(view.Config.Key, out var group)) continue;
            foreach (var policy in view.Config.Policies ?? [])
            {
                if (translation.Context.Policies.TryGetValue($"{view.Config.TenantName}:{policy}", out var policyId))
                    translation = translation with { State = translation.State.Attach(group.Id, policyId) };
            }
        }
        foreach (var (vtep, port) in facts.TunnelPorts)
        {
            if (vtep != facts.VtepIp) translation = translation with { State = translation.State.WithVtep(vtep, port) };
        }
        foreach (var view in views.OfType<EndpointView>()) translation = WithEndpoint(translation, view.Endpoint.Id, view);
        return translation;
    }

    /// <summary>
    /// The translation after a feed change: endpoint changes and rule changes of known policies are
    /// redone alone; anything structural (settings, hosts, networks, groups, new or removed policies),
    /// or a whole snapshot (<paramref name="changes"/> default), translates everything again.
    /// </summary>
    public static HostTranslation Follow(HostTranslation? current, IReadOnlyDictionary<FeedKey, FeedView> views, ImmutableArray<FeedChange> changes, HostFacts facts)
    {
        if (current is not null && !changes.IsDefault && current.Context.Facts == facts)
        {
            var next = current;
            foreach (var change in changes)
            {
                next = change.Key.Kind switch
                {
                    FeedKind.Endpoint => WithEndpoint(next, change.Key.Name, change.View as EndpointView),
                    FeedKind.Policy when change.View is not null && next.Context.Policies.ContainsKey(change.Key.Name) => next,
                    FeedKind.Rule => WithRule(next, change.Key.Name, (change.View as RuleView)?.Config),
                    _ => null,
                };
                if (next is null) break;
            }
            if (next is not null) return next;
        }
        return Translate([.. views.Values], facts, current?.Context.Ids ?? IdTable.Empty);
    }

    /// <summary>
    /// One endpoint added, changed or (view null) removed, in O(log n): the common change, which
    /// must not cost a whole translation on a host that knows thousands of endpoints.
    /// </summary>
    public static HostTranslation WithEndpoint(HostTranslation translation, string id, EndpointView? view)
    {
        var (state, context) = translation;
        state = state.WithoutLocalEndpoint(id).WithoutRemoteEndpoint(id);
        if (view?.Endpoint is not { } endpoint || !context.Networks.TryGetValue(endpoint.NetworkKey, out var network)) return translation with { State = state };
        uint? groupId = null;
        if (endpoint.GroupKey is { } groupKey)
        {
            if (!context.Groups.TryGetValue(groupKey, out var group)) return translation with { State = state };
            groupId = group.Id;
        }
        var mac = MacAddress.Parse(endpoint.MacAddress);
        var ip = Ipv4.Parse(endpoint.IpAddress);
        if (endpoint.Spec.Host == context.Facts.Host)
        {
            if (context.Facts.LocalPorts.TryGetValue(endpoint.Id, out var ofport))
                state = state.WithLocalEndpoint(new LocalEndpoint(endpoint.Id, ofport, mac, ip, network.Id, groupId));
        }
        else if (context.Vteps.TryGetValue(endpoint.Spec.Host, out var vtep))
        {
            state = state.WithRemoteEndpoint(new RemoteEndpoint(endpoint.Id, mac, ip, network.Id, groupId, vtep));
        }
        return translation with { State = state };
    }

    /// <summary>
    /// A policy with the rules known for it. A policy new to this translation gets a number; the groups
    /// that name it are attached by <see cref="Translate"/>, so a new policy needs a full translation.
    /// </summary>
    public static HostTranslation WithPolicy(HostTranslation translation, PolicyView view)
    {
        var (state, context) = translation;
        if (!context.Vrfs.TryGetValue(view.Tenant, out var vrf)) return translation; // a tenant with no network has no traffic
        var key = $"{view.Tenant}:{view.Name}";
        var ids = context.Ids;
        (var id, ids) = ids.Get("policy/" + key);
        var rules = new List<PolicyRule>();
        foreach (var rule in context.Rules.GetValueOrDefault(key)?.Values ?? [])
        {
            (var ruleId, ids) = ids.Get($"rule/{key}/{rule.RuleId}");
            if (ToRule(rule, ruleId, view.Tenant, context.Groups, context.Networks) is { } translated) rules.Add(translated);
        }
        return new HostTranslation(state.WithPolicy(new Policy(id, vrf, [.. rules])),
            context with { Ids = ids, Policies = context.Policies.SetItem(key, id) });
    }

    /// <summary>One rule added, changed or (config null) removed, in O(log rules): a long policy is not redone for it.</summary>
    public static HostTranslation WithRule(HostTranslation translation, string ruleKey, RuleConfig? config)
    {
        var (state, context) = translation;
        var parts = ruleKey.Split(':', 3);
        if (parts.Length != 3) return translation;
        var (tenant, policyKey, name) = (parts[0], $"{parts[0]}:{parts[1]}", parts[2]);
        var known = context.Rules.GetValueOrDefault(policyKey) ?? ImmutableDictionary<string, RuleConfig>.Empty.WithComparers(StringComparer.Ordinal);
        context = context with { Rules = context.Rules.SetItem(policyKey, config is null ? known.Remove(name) : known.SetItem(name, config)) };
        if (!context.Policies.TryGetValue(policyKey, out var policyId) || !state.Policies.TryGetValue(policyId, out var policy))
            return new HostTranslation(state, context); // its policy is not (yet) in the state: it comes with it
        var ids = context.Ids;
        (var ruleId, ids) = ids.Get($"rule/{policyKey}/{name}");
        var translated = config is null ? null : ToRule(config, ruleId, tenant, context.Groups, context.Networks);
        policy = translated is null ? policy.WithoutRule(ruleId) : policy.WithRule(translated);
        return new HostTranslation(state.WithPolicy(policy), context with { Ids = ids });
    }

    /// <summary>A network's number: VNIs and VLANs are unique in the cluster, and kept apart by the encapsulation bit.</summary>
    public static uint NetworkId(string encap, int segment) => encap == "vxlan" ? 0x0100_0000u | (uint)segment : (uint)segment;

    private static Network? ToNetwork(NetworkView view)
    {
        var vxlan = view.Tags.IsVxlan;
        var segment = vxlan ? view.Tags.ExternalPktTag : view.Tags.PktTag;
        if (segment <= 0 || view.Config.Subnet is null || view.Config.Gateway is null) return null;
        return new Network(NetworkId(view.Tags.Encap, segment), (uint)view.TenantId, vxlan ? Encapsulation.Vxlan : Encapsulation.Vlan,
            (uint)segment, Ipv4Prefix.Parse(view.Config.Subnet), Ipv4.Parse(view.Config.Gateway), GatewayMac);
    }

    private static PolicyRule? ToRule(RuleConfig rule, uint id, string tenant,
        ImmutableDictionary<string, (uint Id, Network Network)> groups, ImmutableDictionary<string, Network> networks)
    {
        uint? Group(string? name) => name is null ? null : groups.TryGetValue($"{tenant}:{name}", out var g) ? g.Id : uint.MaxValue;
        uint? Net(string? name) => name is null ? null : networks.TryGetValue($"{tenant}:{name}", out var n) ? n.Id : uint.MaxValue;
        var fromGroup = Group(rule.FromEndpointGroup);
        var toGroup = Group(rule.ToEndpointGroup);
        var fromNetwork = Net(rule.FromNetwork);
        var toNetwork = Net(rule.ToNetwork);
        // A rule naming a group or network this host does not know cannot match anything yet.
        if (fromGroup == uint.MaxValue || toGroup == uint.MaxValue || fromNetwork == uint.MaxValue || toNetwork == uint.MaxValue) return null;
        return new PolicyRule(
            id,
            rule.EffectivePriority(),
            rule.IsOut() ? RuleDirection.Out : RuleDirection.In,
            rule.IsDeny() ? RuleAction.Deny : RuleAction.Allow,
            rule.ProtocolNumber(),
            rule.Port > 0 ? (ushort)rule.Port : null,
            fromGroup, toGroup, fromNetwork, toNetwork,
            Cidr(rule.FromIpAddress), Cidr(rule.ToIpAddress));
    }

    private static Ipv4Prefix? Cidr(string? text) => string.IsNullOrEmpty(text) ? (Ipv4Prefix?)null : Ipv4Prefix.Parse(text);
}
