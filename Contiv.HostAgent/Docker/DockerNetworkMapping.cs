using Contiv.Messages.Addressing;
using Contiv.Messages.Feed;
using Contiv.Messages.Pools;

namespace Contiv.HostAgent.Docker;

/// <summary>The Contiv network (and group) a Docker network attaches to, as the agent's replica of the masters' state shows it.</summary>
public sealed record ContivTarget(string Tenant, string Network, string? Group, string Cidr, string? Gateway, string? RangeOwner)
{
    public string Describe() => Group is null ? $"network {Network} of tenant {Tenant}" : $"group {Group} (network {Network}) of tenant {Tenant}";
}

/// <summary>
/// Which Contiv network a Docker network is. dockerd never tells a driver the network's name, so it comes
/// from options (<c>-o</c> for the network driver, <c>--ipam-opt</c> for the IPAM driver, same keys
/// <c>tenant</c>, <c>network</c>, <c>group</c>; tenant defaults to <c>default</c>, a group implies its
/// network), or else from <c>--subnet</c> when exactly one Contiv network has that subnet. Pure.
/// </summary>
public static class DockerNetworkMapping
{
    public const string TenantOption = "tenant";
    public const string NetworkOption = "network";
    public const string GroupOption = "group";
    public const string DefaultTenant = "default";

    public const string LocalSpace = "contiv-local";
    public const string GlobalSpace = "contiv-global";

    private const string Usage = "name it with -o tenant=T -o network=N [-o group=G] (and the same --ipam-opt for the IPAM driver), or give --subnet of the Contiv network";

    public static (ContivTarget? Target, string? Error) Resolve(IReadOnlyDictionary<string, string> options, string? dockerSubnet, IReadOnlyDictionary<FeedKey, FeedView> views)
    {
        var tenant = Option(options, TenantOption);
        var network = Option(options, NetworkOption);
        var group = Option(options, GroupOption);
        if (tenant is null && network is null && group is null)
        {
            if (string.IsNullOrEmpty(dockerSubnet)) return (null, $"which Contiv network? {Usage}");
            var matches = views.Values.OfType<NetworkView>().Where(n => Cidr(n.Config.Subnet) == dockerSubnet).ToList();
            if (matches.Count == 0) return (null, $"no Contiv network has subnet {dockerSubnet}: {Usage}");
            if (matches.Count > 1)
                return (null, $"several Contiv networks have subnet {dockerSubnet} ({string.Join(", ", matches.Select(m => $"{m.Config.TenantName}/{m.Config.NetworkName}").Order())}): {Usage}");
            tenant = matches[0].Config.TenantName;
            network = matches[0].Config.NetworkName;
        }
        tenant ??= DefaultTenant;

        GroupView? groupView = null;
        if (group is not null)
        {
            groupView = views.GetValueOrDefault(new FeedKey(FeedKind.Group, $"{tenant}:{group}")) as GroupView;
            if (groupView is null) return (null, $"Contiv endpoint group {group} of tenant {tenant} does not exist: create it first (netctl group create)");
            if (network is not null && network != groupView.Config.NetworkName)
                return (null, $"Contiv endpoint group {group} of tenant {tenant} is on network {groupView.Config.NetworkName}, not {network}");
            network = groupView.Config.NetworkName;
        }
        if (network is null) return (null, $"option network is required with tenant {tenant}: {Usage}");
        if (views.GetValueOrDefault(new FeedKey(FeedKind.Network, $"{tenant}:{network}")) is not NetworkView networkView)
            return (null, $"Contiv network {network} of tenant {tenant} does not exist: create it first (netctl net create)");
        var cidr = Cidr(networkView.Config.Subnet);
        if (cidr is null) return (null, $"Contiv network {network} of tenant {tenant} has no IPv4 subnet");
        if (!string.IsNullOrEmpty(dockerSubnet) && dockerSubnet != cidr)
            return (null, $"subnet {dockerSubnet} is not the subnet of Contiv network {network} of tenant {tenant} ({cidr}): give --subnet {cidr} or none");
        var gateway = string.IsNullOrEmpty(networkView.Config.Gateway) ? null : networkView.Config.Gateway;
        return (new ContivTarget(tenant, network, group, cidr, gateway, groupView?.Config.IpPool is { Length: > 0 } ? PoolOwners.Group(group!) : null), null);
    }

    /// <summary>The network's subnet as docker writes it (prefix form), also when Contiv's names a range (a.b.c.d-a.b.c.e/n).</summary>
    public static string? Cidr(string? contivSubnet) =>
        SubnetSpec.TryParse(contivSubnet, out var spec, out _) ? $"{Ipv4.Format(spec.PrefixBase)}/{spec.PrefixLength}" : null;

    /// <summary>Options of the network driver: CreateNetwork puts them under com.docker.network.generic, AllocateNetwork at the top.</summary>
    public static IReadOnlyDictionary<string, string> DriverOptions(Dictionary<string, System.Text.Json.JsonElement>? options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options is null) return result;
        var source = options.TryGetValue("com.docker.network.generic", out var generic) && generic.ValueKind == System.Text.Json.JsonValueKind.Object
            ? generic.EnumerateObject().Select(p => (p.Name, p.Value))
            : options.Select(p => (p.Key, p.Value));
        foreach (var (name, value) in source)
        {
            if (value.ValueKind == System.Text.Json.JsonValueKind.String) result[name] = value.GetString()!;
        }
        return result;
    }

    // ---- pool ids ------------------------------------------------------------------------------

    /// <summary>Everything a later RequestAddress needs, in the id itself: dockerd does not replay RequestPool after an agent restart.</summary>
    public static string PoolId(string space, ContivTarget target) =>
        string.Join(':', space, target.Tenant, target.Network, target.Group ?? "", target.Cidr);

    public static bool TryParsePoolId(string? poolId, out (string Space, string Tenant, string Network, string? Group, string Cidr) pool)
    {
        pool = default;
        var parts = poolId?.Split(':') ?? [];
        if (parts.Length != 5 || parts[0] is not (LocalSpace or GlobalSpace) || parts[1].Length == 0 || parts[2].Length == 0 || parts[4].Length == 0) return false;
        pool = (parts[0], parts[1], parts[2], parts[3].Length == 0 ? null : parts[3], parts[4]);
        return true;
    }

    public static string Holder(string space, string host) => space == GlobalSpace ? PoolOwners.DockerGlobal : PoolOwners.DockerLocal(host);

    private static string? Option(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
