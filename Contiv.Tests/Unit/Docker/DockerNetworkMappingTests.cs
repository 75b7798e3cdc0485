using System.Collections.Immutable;
using System.Text.Json;
using Contiv.HostAgent.Docker;
using Contiv.Messages.Feed;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Xunit;

namespace Contiv.Tests.Unit.Docker;

public sealed class DockerNetworkMappingTests
{
    private static readonly ImmutableDictionary<FeedKey, FeedView> Views = new FeedView[]
    {
        Network("default", "n1", "10.1.0.0/24", "10.1.0.1"),
        Network("t2", "n1", "10.1.0.0/24", null),
        Network("t2", "ranged", "10.9.0.10-10.9.0.200/24", "10.9.0.1"),
        Network("default", "n2", "10.2.0.0/16", "10.2.0.1"),
        new GroupView(new EndpointGroupConfig { TenantName = "default", GroupName = "web", NetworkName = "n1" }),
        new GroupView(new EndpointGroupConfig { TenantName = "default", GroupName = "db", NetworkName = "n1", IpPool = "10.1.0.100-10.1.0.120" }),
    }.ToImmutableDictionary(v => v.Key);

    private static NetworkView Network(string tenant, string name, string subnet, string? gateway) =>
        new(new NetworkConfig { TenantName = tenant, NetworkName = name, Encap = "vxlan", Subnet = subnet, Gateway = gateway }, new NetworkTags("vxlan", 1, 0), 1);

    private static Dictionary<string, string> Options(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void A_group_names_its_network_and_tenant_defaults_to_default()
    {
        var (target, error) = DockerNetworkMapping.Resolve(Options("group=db"), null, Views);
        Assert.Null(error);
        Assert.Equal(new ContivTarget("default", "n1", "db", "10.1.0.0/24", "10.1.0.1", "epg:db"), target);
        (target, _) = DockerNetworkMapping.Resolve(Options("group=web", "network=n1", "tenant=default"), "10.1.0.0/24", Views);
        Assert.Equal(new ContivTarget("default", "n1", "web", "10.1.0.0/24", "10.1.0.1", null), target);
    }

    [Fact]
    public void A_subnet_alone_names_the_one_network_that_has_it_and_a_range_subnet_counts_by_its_prefix()
    {
        Assert.Equal("n2", DockerNetworkMapping.Resolve(Options(), "10.2.0.0/16", Views).Target!.Network);
        var ranged = DockerNetworkMapping.Resolve(Options(), "10.9.0.0/24", Views).Target!;
        Assert.Equal(("t2", "ranged", "10.9.0.0/24"), (ranged.Tenant, ranged.Network, ranged.Cidr));
        var (_, ambiguous) = DockerNetworkMapping.Resolve(Options(), "10.1.0.0/24", Views);
        Assert.Contains("default/n1, t2/n1", ambiguous);
        Assert.Contains("-o tenant=T", ambiguous);
    }

    [Theory]
    [InlineData("network=nope", null, "Contiv network nope of tenant default does not exist")]
    [InlineData("group=nope", null, "Contiv endpoint group nope of tenant default does not exist")]
    [InlineData("group=web|network=n2", null, "is on network n1, not n2")]
    [InlineData("tenant=t2", null, "option network is required")]
    [InlineData("network=n1", "10.7.0.0/24", "give --subnet 10.1.0.0/24 or none")]
    [InlineData("", "10.7.0.0/24", "no Contiv network has subnet 10.7.0.0/24")]
    [InlineData("", null, "which Contiv network?")]
    public void What_cannot_be_mapped_is_refused_with_the_reason(string options, string? subnet, string expected)
    {
        var (target, error) = DockerNetworkMapping.Resolve(options.Length == 0 ? Options() : Options(options.Split('|')), subnet, Views);
        Assert.Null(target);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Pool_ids_carry_everything_and_reject_what_is_not_one_of_ours()
    {
        var target = new ContivTarget("default", "n1", "db", "10.1.0.0/24", "10.1.0.1", "epg:db");
        var id = DockerNetworkMapping.PoolId(DockerNetworkMapping.GlobalSpace, target);
        Assert.True(DockerNetworkMapping.TryParsePoolId(id, out var pool));
        Assert.Equal((DockerNetworkMapping.GlobalSpace, "default", "n1", (string?)"db", "10.1.0.0/24"), pool);
        Assert.True(DockerNetworkMapping.TryParsePoolId(DockerNetworkMapping.PoolId(DockerNetworkMapping.LocalSpace, target with { Group = null }), out pool));
        Assert.Null(pool.Group);
        foreach (var bad in new[] { null, "", "nope", "probelocal/10.66.0.0/24", "contiv-local:default:n1", "other:default:n1::10.1.0.0/24", "contiv-local::n1::10.1.0.0/24" })
            Assert.False(DockerNetworkMapping.TryParsePoolId(bad, out _), bad);
    }

    [Fact]
    public void Driver_options_come_from_the_generic_map_of_create_network_or_the_top_of_allocate_network()
    {
        var create = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            """{"com.docker.network.enable_ipv6":false,"com.docker.network.generic":{"group":"db","mtu":"1400"}}""")!;
        Assert.Equal(new Dictionary<string, string> { ["group"] = "db", ["mtu"] = "1400" }, DockerNetworkMapping.DriverOptions(create));
        var allocate = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"tenant":"t2","network":"n1"}""")!;
        Assert.Equal(new Dictionary<string, string> { ["tenant"] = "t2", ["network"] = "n1" }, DockerNetworkMapping.DriverOptions(allocate));
        Assert.Empty(DockerNetworkMapping.DriverOptions(null));
    }
}
