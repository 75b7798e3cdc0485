using Contiv.Lab;
using Xunit;
using Xunit.Abstractions;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.Docker;

/// <summary>The agent's Docker driver as a legacy plugin of a real dockerd: networks, containers, policy, release.</summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerDriverTests(ITestOutputHelper output)
{
    private const string DenyIcmpToDb =
        """{"tenantName":"default","policyName":"p1","ruleId":"9","direction":"in","priority":10,"protocol":"icmp","action":"deny"}""";

    [Fact]
    public async Task Containers_get_contiv_addresses_reach_each_other_obey_policy_and_release_their_addresses()
    {
        await using var env = await DockerLab.StartAsync();
        await CreateNetworkAndGroupsAsync(env.Lab);
        // Two Docker networks on one Contiv network, one per endpoint group: the group by option, the network from the group.
        await env.RunAsync("network", "create", "-d", env.Driver, "--ipam-driver", env.Driver, "-o", "group=web", "--ipam-opt", "group=web", "web");
        await env.RunAsync("network", "create", "-d", env.Driver, "--ipam-driver", env.Driver, "-o", "group=db", "--ipam-opt", "group=db", "db");

        var client = await env.StartContainerAsync("client", "web");
        var server = await env.StartContainerAsync("server", "db");
        output.WriteLine($"client {client}, server {server}");
        foreach (var ip in new[] { client, server })
            Assert.StartsWith("10.1.0.", ip);
        var allocated = await env.AllocatedAsync();
        Assert.Contains(client, allocated);
        Assert.Contains(server, allocated);
        Assert.Equal(2, await env.EndpointCountAsync());
        // The endpoints are Contiv's, in the groups the Docker networks name.
        Assert.Contains("10.1.0.1", await env.RunAsync("exec", "client", "ip", "route"));

        Assert.True(await env.PingsAsync("client", server), "client reaches server");
        Assert.True(await env.PingsAsync("server", client), "server reaches client");

        await env.Lab.PostAsync("/api/v1/rules/default:p1:9/", DenyIcmpToDb);
        Assert.True(await EventuallyAsync(async () => !await env.PingsAsync("client", server)), "the deny rule on db blocks ping from web");
        await env.Lab.DeleteAsync("/api/v1/rules/default:p1:9/");
        Assert.True(await EventuallyAsync(() => env.PingsAsync("client", server)), "deleting the rule lets ping through again");

        await env.RunAsync("rm", "-f", "server");
        allocated = await env.AllocatedAsync();
        Assert.DoesNotContain(server, allocated);
        Assert.Contains(client, allocated);
        Assert.Equal(1, await env.EndpointCountAsync());

        await env.RunAsync("rm", "-f", "client");
        await env.RunAsync("network", "rm", "web", "db");
        // Only the network's own gateway is left, and no port of an endpoint.
        Assert.Equal(["10.1.0.1"], await env.AllocatedAsync());
        var ports = (await env.Host.Ovs.Vsctl("list-ports", LabHost.Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(ports, p => Contiv.HostAgent.Plumbing.EndpointNames.IsHostInterface(p));
    }

    [Fact]
    public async Task Restarting_the_agent_and_dockerd_leaves_addresses_endpoints_and_ports_consistent()
    {
        await using var env = await DockerLab.StartAsync();
        await CreateNetworkAndGroupsAsync(env.Lab);
        await env.RunAsync("network", "create", "-d", env.Driver, "--ipam-driver", env.Driver, "--subnet", "10.1.0.0/24", "-o", "group=web", "--ipam-opt", "group=web", "web");
        await env.RunAsync("run", "-d", "--restart", "always", "--name", "keeper", "--network", "web", env.Image, "sleep", "600");
        var keeper = await env.AddressAsync("keeper", "web");
        var other = await env.StartContainerAsync("other", "web");
        Assert.True(await env.PingsAsync("other", keeper));

        // The agent restarts: it adopts both endpoints, keeps the network map, serves new containers.
        await env.Host.RestartAgentAsync();
        Assert.True(await env.PingsAsync("other", keeper), "traffic after the agent restart");
        // An address of one's own choosing (RequestAddress with an explicit address).
        await env.RunAsync("run", "-d", "--name", "third", "--network", "web", "--ip", "10.1.0.77", env.Image, "sleep", "600");
        Assert.Equal("10.1.0.77", await env.AddressAsync("third", "web"));
        Assert.Contains("10.1.0.77", await env.AllocatedAsync());
        Assert.True(await env.PingsAsync("third", keeper), "a container started after the agent restart reaches the others");
        Assert.Equal(3, await env.EndpointCountAsync());

        // dockerd restarts: it stops every container (their endpoints and addresses go) and brings back the one that restarts always.
        await env.Docker.RestartAsync();
        Assert.True(await EventuallyAsync(async () => (await env.RunAsync("inspect", "-f", "{{.State.Running}}", "keeper")) == "true"), "keeper is back");
        keeper = await env.AddressAsync("keeper", "web");
        Assert.True(await EventuallyAsync(async () => await env.EndpointCountAsync() == 1),
            "only keeper's endpoint is left");
        Assert.Equal(["10.1.0.1", keeper], await env.AllocatedAsync());
        Assert.Single(HostInterfaces(await env.Host.Ovs.Vsctl("list-ports", LabHost.Bridge)));

        await env.RunAsync("start", "other");
        other = await env.AddressAsync("other", "web");
        Assert.True(await env.PingsAsync("other", keeper), "a restarted container reaches the one dockerd brought back");
        Assert.Equal(["10.1.0.1", .. new[] { keeper, other }.Order(StringComparer.Ordinal)], await env.AllocatedAsync());
    }

    [Fact]
    public async Task Containers_that_stop_while_the_agent_is_down_leave_no_address_endpoint_or_port_behind()
    {
        await using var env = await DockerLab.StartAsync();
        await CreateNetworkAndGroupsAsync(env.Lab);
        await env.RunAsync("network", "create", "-d", env.Driver, "--ipam-driver", env.Driver, "--subnet", "10.1.0.0/24", "-o", "group=web", "--ipam-opt", "group=web", "web");
        await env.RunAsync("run", "-d", "--restart", "always", "--name", "keeper", "--network", "web", env.Image, "sleep", "600");
        var gone = await env.StartContainerAsync("gone", "web");

        // dockerd restarts while the agent is down: cleaning up both containers' endpoints at its start, its
        // DeleteEndpoint and ReleaseAddress find no driver (after ~15 s each); the namespaces go, and the veths.
        await env.Host.KillAgentHardAsync();
        await env.Docker.RestartAsync(TimeSpan.FromMinutes(3));

        await env.Host.StartAgentAsync();
        if ((await env.RunAsync("inspect", "-f", "{{.State.Running}}", "keeper")) != "true") await env.TryAsync("start", "keeper");
        Assert.True(await EventuallyAsync(async () => (await env.RunAsync("inspect", "-f", "{{.State.Running}}", "keeper")) == "true", TimeSpan.FromSeconds(60)),
            "keeper runs again");
        var keeper = await env.AddressAsync("keeper", "web");
        Assert.True(await EventuallyAsync(async () => (await env.AllocatedAsync()).SequenceEqual(["10.1.0.1", keeper]), TimeSpan.FromSeconds(30)),
            $"only the gateway and keeper's address are held: {string.Join(", ", await env.AllocatedAsync())}\n{env.Host.AgentProcess.Output}");
        Assert.Equal(1, await env.EndpointCountAsync());
        Assert.Single(HostInterfaces(await env.Host.Ovs.Vsctl("list-ports", LabHost.Bridge)));
        await env.RunAsync("start", "gone");
        Assert.True(await env.PingsAsync("gone", keeper), "the other container starts again and reaches keeper");
    }

    private static IEnumerable<string> HostInterfaces(string ports) =>
        ports.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(Contiv.HostAgent.Plumbing.EndpointNames.IsHostInterface);
}
