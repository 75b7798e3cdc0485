using System.Globalization;
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

/// <summary>
/// Pure: the feed's views plus this host's facts → the dataplane's <see cref="HostState"/>. Objects that
/// refer to something not (yet) in the views are left out rather than guessed at; the next delta
/// that brings the missing piece brings them in.
/// </summary>
public static class HostStateTranslator
{
    /// <summary>The virtual gateway's MAC on every network, as the original used.</summary>
    public static readonly MacAddress GatewayMac = MacAddress.Parse("00:00:11:11:11:11");

    public static (HostState State, IdTable Ids) Translate(IReadOnlyCollection<FeedView> views, HostFacts facts, IdTable ids)
    {
        var settings = views.OfType<SettingsView>().FirstOrDefault() ?? new SettingsView("bridge", "proxy");
        var state = new HostState(new HostSettings(
            settings.FwdMode == "routing" ? ForwardingMode.Routing : ForwardingMode.Bridge,
            settings.ArpMode == "flood" ? ArpMode.Flood : ArpMode.Proxy,
            facts.UplinkPort, facts.VtepIp));

        var networks = new Dictionary<string, Network>(StringComparer.Ordinal);
        foreach (var view in views.OfType<NetworkView>().Where(n => n.TenantId > 0))
        {
            var network = ToNetwork(view);
            if (network is null) continue;
            networks[view.Config.Key] = network;
            state = state.WithNetwork(network);
        }

        var groups = new Dictionary<string, (uint Id, Network Network)>(StringComparer.Ordinal);
        foreach (var view in views.OfType<GroupView>())
        {
            if (!networks.TryGetValue($"{view.Config.TenantName}:{view.Config.NetworkName}", out var network)) continue;
            (var id, ids) = ids.Get("group/" + view.Config.Key);
            groups[view.Config.Key] = (id, network);
            state = state.WithGroup(new EndpointGroup(id, network.Vrf, network.Id));
        }

        var vrfOf = views.OfType<NetworkView>().GroupBy(n => n.Config.TenantName!).ToDictionary(g => g.Key, g => (uint)g.First().TenantId, StringComparer.Ordinal);
        var policies = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var view in views.OfType<PolicyView>())
        {
            if (!vrfOf.TryGetValue(view.Tenant, out var vrf)) continue; // a tenant with no network has no traffic
            var key = $"{view.Tenant}:{view.Name}";
            (var id, ids) = ids.Get("policy/" + key);
            var rules = new List<PolicyRule>();
            foreach (var rule in view.Rules)
            {
                (var ruleId, ids) = ids.Get($"rule/{key}/{rule.RuleId}");
                if (ToRule(rule, ruleId, view.Tenant, groups, networks) is { } translated) rules.Add(translated);
            }
            policies[key] = id;
            state = state.WithPolicy(new Policy(id, vrf, [.. rules]));
        }
        foreach (var view in views.OfType<GroupView>())
        {
            if (!groups.TryGetValue(view.Config.Key, out var group)) continue;
            foreach (var policy in view.Config.Policies ?? [])
            {
                if (policies.TryGetValue($"{view.Config.TenantName}:{policy}", out var policyId)) state = state.Attach(group.Id, policyId);
            }
        }

        var vteps = views.OfType<HostView>().ToDictionary(h => h.Name, h => Ipv4.Parse(h.VtepIp), StringComparer.Ordinal);
        foreach (var (vtep, port) in facts.TunnelPorts)
        {
            if (vtep != facts.VtepIp) state = state.WithVtep(vtep, port);
        }
        foreach (var view in views.OfType<EndpointView>())
        {
            var endpoint = view.Endpoint;
            if (!networks.TryGetValue(endpoint.NetworkKey, out var network)) continue;
            uint? groupId = null;
            if (endpoint.GroupKey is { } groupKey)
            {
                if (!groups.TryGetValue(groupKey, out var group)) continue;
                groupId = group.Id;
            }
            var mac = MacAddress.Parse(endpoint.MacAddress);
            var ip = Ipv4.Parse(endpoint.IpAddress);
            if (endpoint.Spec.Host == facts.Host)
            {
                if (facts.LocalPorts.TryGetValue(endpoint.Id, out var ofport))
                    state = state.WithLocalEndpoint(new LocalEndpoint(endpoint.Id, ofport, mac, ip, network.Id, groupId));
            }
            else if (vteps.TryGetValue(endpoint.Spec.Host, out var vtep))
            {
                state = state.WithRemoteEndpoint(new RemoteEndpoint(endpoint.Id, mac, ip, network.Id, groupId, vtep));
            }
        }
        return (state, ids);
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
        IReadOnlyDictionary<string, (uint Id, Network Network)> groups, IReadOnlyDictionary<string, Network> networks)
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
            rule.Priority ?? 1,
            rule.Direction == "out" ? RuleDirection.Out : RuleDirection.In,
            rule.Action == "deny" ? RuleAction.Deny : RuleAction.Allow,
            Protocol(rule.Protocol),
            rule.Port > 0 ? (ushort)rule.Port : null,
            fromGroup, toGroup, fromNetwork, toNetwork,
            Cidr(rule.FromIpAddress), Cidr(rule.ToIpAddress));
    }

    private static byte? Protocol(string? protocol) => protocol switch
    {
        null or "" => null,
        "tcp" => IpProtocol.Tcp,
        "udp" => IpProtocol.Udp,
        "icmp" => IpProtocol.Icmp,
        _ when byte.TryParse(protocol, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static Ipv4Prefix? Cidr(string? text) => string.IsNullOrEmpty(text) ? (Ipv4Prefix?)null : Ipv4Prefix.Parse(text);
}
