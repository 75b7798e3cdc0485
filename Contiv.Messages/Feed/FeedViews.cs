using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;

namespace Contiv.Messages.Feed;

public enum FeedKind
{
    Settings = 1,
    Host,
    Network,
    Group,
    Policy,
    Endpoint,
    Rule,
}

/// <summary>Identifies one view in the feed: its kind and its key (<c>tenant:name</c>, a host name, an endpoint id).</summary>
public readonly record struct FeedKey(FeedKind Kind, string Name)
{
    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>
/// What agents need to know of one object, as the masters publish it. Views reuse the REST model's
/// records where those say it already, so the agent reads the same field names an operator writes.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$view")]
[JsonDerivedType(typeof(SettingsView), "settings")]
[JsonDerivedType(typeof(HostView), "host")]
[JsonDerivedType(typeof(NetworkView), "network")]
[JsonDerivedType(typeof(GroupView), "group")]
[JsonDerivedType(typeof(PolicyView), "policy")]
[JsonDerivedType(typeof(EndpointView), "endpoint")]
[JsonDerivedType(typeof(RuleView), "rule")]
public abstract record FeedView
{
    [JsonIgnore] public abstract FeedKey Key { get; }
}

/// <summary>The global forwarding and ARP modes (one view, key <c>global</c>).</summary>
public sealed record SettingsView(string FwdMode, string ArpMode) : FeedView
{
    public override FeedKey Key => new(FeedKind.Settings, "global");
}

/// <summary>A host with an agent: where its VXLAN tunnels end and which interface carries VLAN networks.</summary>
public sealed record HostView(string Name, string VtepIp, string? Uplink, string NodeAddress) : FeedView
{
    public override FeedKey Key => new(FeedKind.Host, Name);
}

/// <summary>A network with its tags; <paramref name="TenantId"/> is the tenant's number (its VRF and conntrack zone on every host).</summary>
public sealed record NetworkView(NetworkConfig Config, NetworkTags Tags, int TenantId) : FeedView
{
    public override FeedKey Key => new(FeedKind.Network, Config.Key);
}

public sealed record GroupView(EndpointGroupConfig Config) : FeedView
{
    public override FeedKey Key => new(FeedKind.Group, Config.Key);
}

/// <summary>A policy; its rules are views of their own, so adding one to a long policy sends one rule, not all.</summary>
public sealed record PolicyView(string Tenant, string Name) : FeedView
{
    public override FeedKey Key => new(FeedKind.Policy, $"{Tenant}:{Name}");
}

/// <summary>One rule of a policy (key <c>tenant:policy:ruleId</c>, as the REST API's).</summary>
public sealed record RuleView(RuleConfig Config) : FeedView
{
    public override FeedKey Key => new(FeedKind.Rule, Config.Key);

    public string PolicyKey => $"{Config.TenantName}:{Config.PolicyName}";
}

/// <summary>An endpoint that holds its address (endpoints still being created are not published).</summary>
public sealed record EndpointView(EndpointInfo Endpoint) : FeedView
{
    public override FeedKey Key => new(FeedKind.Endpoint, Endpoint.Id);
}

/// <summary>One change: the new view, or (view null) the removal of the key.</summary>
public sealed record FeedChange(FeedKey Key, FeedView? View)
{
    public static FeedChange Upsert(FeedView view) => new(view.Key, view);
    public static FeedChange Remove(FeedKey key) => new(key, null);
}
