using System.Collections.Immutable;

namespace Contiv.Dataplane.Ovs.HostModel;

/// <summary>
/// Everything the dataplane of one host must realise: its settings, the networks, groups and
/// policies it needs, which policies are attached to which group, its own endpoints, the remote
/// endpoints it can reach and the VXLAN tunnel port to each remote VTEP. Immutable, with value
/// equality (two states with the same content are equal, however they were built).
/// </summary>
public sealed record HostState(HostSettings Settings)
{
    public ImmutableSortedDictionary<uint, Network> Networks { get; init; } = ImmutableSortedDictionary<uint, Network>.Empty;
    public ImmutableSortedDictionary<uint, EndpointGroup> Groups { get; init; } = ImmutableSortedDictionary<uint, EndpointGroup>.Empty;
    public ImmutableSortedDictionary<uint, Policy> Policies { get; init; } = ImmutableSortedDictionary<uint, Policy>.Empty;

    /// <summary>group id → ids of the policies attached to it</summary>
    public ImmutableSortedDictionary<uint, ImmutableSortedSet<uint>> Attachments { get; init; } = ImmutableSortedDictionary<uint, ImmutableSortedSet<uint>>.Empty;

    public ImmutableSortedDictionary<string, LocalEndpoint> LocalEndpoints { get; init; } = ImmutableSortedDictionary<string, LocalEndpoint>.Empty.WithComparers(StringComparer.Ordinal);
    public ImmutableSortedDictionary<string, RemoteEndpoint> RemoteEndpoints { get; init; } = ImmutableSortedDictionary<string, RemoteEndpoint>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>remote host VTEP address → the ofport of the VXLAN tunnel port towards it on this bridge</summary>
    public ImmutableSortedDictionary<Ipv4, uint> Vteps { get; init; } = ImmutableSortedDictionary<Ipv4, uint>.Empty;

    // ---- builders ------------------------------------------------------------------------------

    public HostState WithNetwork(Network network) => this with { Networks = Networks.SetItem(network.Id, network) };
    public HostState WithoutNetwork(uint id) => this with { Networks = Networks.Remove(id) };
    public HostState WithGroup(EndpointGroup group) => this with { Groups = Groups.SetItem(group.Id, group) };
    public HostState WithoutGroup(uint id) => this with { Groups = Groups.Remove(id), Attachments = Attachments.Remove(id) };
    public HostState WithPolicy(Policy policy) => this with { Policies = Policies.SetItem(policy.Id, policy) };
    public HostState WithoutPolicy(uint id) => this with { Policies = Policies.Remove(id) };
    public HostState WithLocalEndpoint(LocalEndpoint endpoint) => this with { LocalEndpoints = LocalEndpoints.SetItem(endpoint.Id, endpoint) };
    public HostState WithoutLocalEndpoint(string id) => this with { LocalEndpoints = LocalEndpoints.Remove(id) };
    public HostState WithRemoteEndpoint(RemoteEndpoint endpoint) => this with { RemoteEndpoints = RemoteEndpoints.SetItem(endpoint.Id, endpoint) };
    public HostState WithoutRemoteEndpoint(string id) => this with { RemoteEndpoints = RemoteEndpoints.Remove(id) };
    public HostState WithVtep(Ipv4 vtep, uint tunnelPort) => this with { Vteps = Vteps.SetItem(vtep, tunnelPort) };
    public HostState WithoutVtep(Ipv4 vtep) => this with { Vteps = Vteps.Remove(vtep) };

    public HostState Attach(uint groupId, uint policyId) => this with
    {
        Attachments = Attachments.SetItem(groupId, Attachments.GetValueOrDefault(groupId, ImmutableSortedSet<uint>.Empty).Add(policyId)),
    };

    public HostState Detach(uint groupId, uint policyId)
    {
        if (!Attachments.TryGetValue(groupId, out var set)) return this;
        var rest = set.Remove(policyId);
        return this with { Attachments = rest.IsEmpty ? Attachments.Remove(groupId) : Attachments.SetItem(groupId, rest) };
    }

    /// <summary>The policies attached to a group that exist in this state, in id order.</summary>
    public IEnumerable<Policy> PoliciesOf(uint groupId) =>
        Attachments.TryGetValue(groupId, out var ids)
            ? ids.Select(id => Policies.GetValueOrDefault(id)).OfType<Policy>()
            : [];

    public bool Equals(HostState? other) =>
        other is not null
        && Settings == other.Settings
        && Structural.Equal(Networks, other.Networks)
        && Structural.Equal(Groups, other.Groups)
        && Structural.Equal(Policies, other.Policies)
        && Structural.Equal(Attachments, other.Attachments)
        && Structural.Equal(LocalEndpoints, other.LocalEndpoints)
        && Structural.Equal(RemoteEndpoints, other.RemoteEndpoints)
        && Structural.Equal(Vteps, other.Vteps);

    public override int GetHashCode() => HashCode.Combine(Settings, Networks.Count, Groups.Count, Policies.Count, LocalEndpoints.Count, RemoteEndpoints.Count, Vteps.Count);
}
