using Contiv.Lab;
using Xunit;
using Xunit.Abstractions;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.Docker;

/// <summary>Swarm mode, which takes only managed plugins: ours built and installed by docker/plugin/build.sh, a service on a swarm-scoped network.</summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerSwarmTests(ITestOutputHelper output)
{
    private const string DenyIcmpToDb =
        """{"tenantName":"default","policyName":"p1","ruleId":"9","direction":"in","priority":10,"protocol":"icmp","action":"deny"}""";

    [Fact]
    public async Task A_service_on_a_swarm_network_gets_contiv_task_addresses_obeys_policy_and_releases_them()
    {
        await using var env = await DockerLab.StartAsync(managedPlugin: true);
        await CreateNetworkAndGroupsAsync(env.Lab);
        // Installed and enabled while the agent is down (a host whose dockerd starts first): the drivers
        // still register, and work once the agent is up.
        await env.Host.KillAgentHardAsync();
        var (built, log) = await PluginBuild.RunAsync("--host", "unix://" + env.Docker.Socket, "--name", env.Driver, "--agent-dir", env.AgentDirectory);
        Assert.True(built == 0, log);
        var plugin = env.Driver + ":latest";
        Assert.Equal("true", await env.RunAsync("plugin", "inspect", "-f", "{{.Enabled}}", plugin));
        await env.Host.StartAgentAsync();

        await env.RunAsync("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377", "--data-path-addr", "127.0.0.1");
        var before = await env.AllocatedAsync();
        await env.RunAsync("network", "create", "-d", plugin, "--ipam-driver", plugin, "--scope", "swarm", "--attachable",
            "--subnet", "10.1.0.0/24", "-o", "group=db", "--ipam-opt", "group=db", "sdb");
        await env.RunAsync("service", "create", "--name", "svc", "--replicas", "2", "--network", "sdb", "--endpoint-mode", "dnsrr",
            "--no-resolve-image", "--detach", env.Image, "sleep", "3600");

        string[] tasks = [];
        Assert.True(await EventuallyAsync(async () =>
        {
            tasks = (await env.RunAsync("ps", "-q", "--filter", "label=com.docker.swarm.service.name=svc")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return tasks.Length == 2;
        }, TimeSpan.FromSeconds(90)), "two replicas run:\n" + await env.RunAsync("service", "ps", "--no-trunc", "svc"));
        var ips = new List<string>();
        foreach (var task in tasks) ips.Add(await env.AddressAsync(task, "sdb"));
        output.WriteLine($"tasks {string.Join(", ", ips)}");
        var allocated = await env.AllocatedAsync();
        foreach (var ip in ips)
        {
            Assert.StartsWith("10.1.0.", ip);
            Assert.Contains(ip, allocated);
        }
        Assert.Equal(2, await env.EndpointCountAsync());
        // The replicas are in group db, which the -o options named on the manager (the node never sees them).
        var group = (await GetJsonAsync(env.Lab, "/api/v1/inspect/endpointGroups/default:db/")).GetProperty("Oper");
        Assert.Equal(2, group.GetProperty("numEndpoints").GetInt32());

        Assert.True(await env.PingsAsync(tasks[0], ips[1]), "replica 1 reaches replica 2 by task address");
        Assert.True(await env.PingsAsync(tasks[1], ips[0]), "replica 2 reaches replica 1");
        await env.Lab.PostAsync("/api/v1/rules/default:p1:9/", DenyIcmpToDb);
        Assert.True(await EventuallyAsync(async () => !await env.PingsAsync(tasks[0], ips[1])), "the group's deny rule applies to the replicas");
        await env.Lab.DeleteAsync("/api/v1/rules/default:p1:9/");
        Assert.True(await EventuallyAsync(() => env.PingsAsync(tasks[0], ips[1])), "and its removal lets them through");

        await env.RunAsync("service", "rm", "svc");
        Assert.True(await EventuallyAsync(async () => await env.EndpointCountAsync() == 0, TimeSpan.FromSeconds(60)), "the replicas' endpoints are gone");
        Assert.True(await EventuallyAsync(async () => (await env.AllocatedAsync()).All(a => !ips.Contains(a)), TimeSpan.FromSeconds(60)),
            $"every task address is released: {string.Join(", ", await env.AllocatedAsync())}");
        await env.RunAsync("network", "rm", "sdb");
        Assert.True(await EventuallyAsync(async () => (await env.AllocatedAsync()).SequenceEqual(before), TimeSpan.FromSeconds(60)),
            $"after network rm only what was there before: {string.Join(", ", await env.AllocatedAsync())}");
        await env.RunAsync("swarm", "leave", "--force");
        await env.RunAsync("plugin", "disable", plugin);
        await env.RunAsync("plugin", "rm", plugin);
    }
}
