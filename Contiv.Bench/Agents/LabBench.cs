using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Contiv.HostAgent.Hosting;
using Contiv.Lab;
using Contiv.Messages.Endpoints;

namespace Contiv.Bench.Agents;

/// <summary>
/// `Contiv.Bench lab`: the host agent's figures on real parts (ClusterLab: a master and two hosts,
/// each a namespace with its own ovs-vswitchd and contiv-agent). Endpoint create latency through
/// the local API (namespace ready and flows in), policy realization latency on two real hosts
/// (REST rule add → policy inspect says realized on both, i.e. each agent's bundle is committed),
/// and memory per endpoint of an agent and the master at 10,000 endpoints.
/// </summary>
public static class LabBench
{
    public const string Usage = """
        usage: dotnet Contiv.Bench.dll lab [--creates 200] [--changes 200] [--endpoints 10000]

        lab: a master and two hosts in namespaces (needs root and Open vSwitch). Endpoint creates
        through h0's local API, one at a time; rule adds through REST until both agents realized
        them; then --endpoints endpoints on h1 created through sharding from this process, and the
        RSS of h0's agent (which then holds them as remote endpoints) and of the master.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int creates = 200, changes = 200, endpoints = 10_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                Console.Error.WriteLine($"error: {args[i]} needs a number\n\n{Usage}");
                return 2;
            }
            switch (args[i])
            {
                case "--creates": creates = value; break;
                case "--changes": changes = value; break;
                case "--endpoints": endpoints = value; break;
                default:
                    Console.Error.WriteLine($"error: unknown option {args[i]}\n\n{Usage}");
                    return 2;
            }
        }

        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await lab.PostAsync("/api/v1/networks/default:n1/", """{"tenantName":"default","networkName":"n1","encap":"vxlan","subnet":"10.64.0.0/16","gateway":"10.64.0.1"}""");
        await lab.PostAsync("/api/v1/policys/default:p1/", """{"tenantName":"default","policyName":"p1"}""");
        await lab.PostAsync("/api/v1/endpointGroups/default:web/", """{"tenantName":"default","groupName":"web","networkName":"n1","policies":["p1"]}""");

        Console.WriteLine($"== {creates} endpoint creates through h0's local API, one at a time (netns ready and flows in the switch)");
        var host = lab.Hosts[0];
        var latencies = new List<double>();
        for (var i = 0; i < creates; i++)
        {
            var ns = await lab.AddContainerAsync();
            var watch = Stopwatch.StartNew();
            var (status, body) = await host.CreateEndpointAsync(new { tenant = "default", network = "n1", group = "web", containerId = $"bench{i}", netns = ClusterLab.NetnsPath(ns) });
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            if (status != 200) throw new InvalidOperationException($"create bench{i}: {status} {body}");
        }
        Report("create", latencies);

        Console.WriteLine($"\n== {changes} rules added through REST, each timed until policy inspect says realized on h0 and h1");
        latencies.Clear();
        for (var c = 0; c < changes; c++)
        {
            var watch = Stopwatch.StartNew();
            await lab.PostAsync($"/api/v1/rules/default:p1:{c}/",
                $$"""{"tenantName":"default","policyName":"p1","ruleId":"{{c}}","direction":"in","priority":{{c % 100 + 1}},"protocol":"tcp","port":{{20000 + c}},"action":"deny"}""");
            while (true)
            {
                var oper = (await lab.Rest.GetFromJsonAsync<JsonElement>("/api/v1/inspect/policys/default:p1/")).GetProperty("Oper");
                if (oper.TryGetProperty("realization", out var hosts) && hosts.EnumerateObject().Count() == 2 &&
                    hosts.EnumerateObject().All(h => h.Value.GetString() == "realized")) break;
                if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"rule {c} not realized on both hosts in 30 s");
                await Task.Delay(1);
            }
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }
        Report("realized on both hosts", latencies);

        if (endpoints > 0) await MemoryAsync(lab, endpoints);
        return 0;
    }

    private static async Task MemoryAsync(ClusterLab lab, int endpoints)
    {
        Console.WriteLine($"\n== {endpoints} endpoints on h1 (created through sharding from this process, not plumbed): memory");
        var agentBefore = Rss(lab.Hosts[0].AgentProcess.Pid);
        var masterBefore = Rss(lab.Master.Process.Pid);
        await using (var node = await BenchClusterNode.JoinAsync(lab.Master.Seed, lab.MasterAddress))
            await node.CreateEndpointsAsync(endpoints, i => ($"mem{i}", new EndpointSpec("default", "n1", "web", $"mem{i}", "h1")));
        // h0's agent compiles them as remote endpoints; give it time to settle.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (await lab.Hosts[0].FlowsAsync()).Count < endpoints * 4) await Task.Delay(1000);
        await Task.Delay(3000);
        var flows = (await lab.Hosts[0].FlowsAsync()).Count;
        var agentAfter = Rss(lab.Hosts[0].AgentProcess.Pid);
        var masterAfter = Rss(lab.Master.Process.Pid);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"h0 agent RSS {agentBefore:F0} → {agentAfter:F0} MiB ({flows} flows in its switch): {(agentAfter - agentBefore) * 1024 * 1024 / endpoints:F0} bytes per endpoint"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"master RSS {masterBefore:F0} → {masterAfter:F0} MiB: {(masterAfter - masterBefore) * 1024 * 1024 / endpoints:F0} bytes per endpoint"));
    }

    private static double Rss(int pid) => MemoryUsage.Read(pid)?.RssMiB ?? double.NaN;

    private static void Report(string what, List<double> latencies)
    {
        var stats = LatencyStats.FromMs(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: p50 {stats.MedianMs:F1} ms, p90 {stats.P90Ms:F1} ms, p99 {stats.P99Ms:F1} ms, max {stats.MaxMs:F1} ms over {stats.Count}"));
    }
}
