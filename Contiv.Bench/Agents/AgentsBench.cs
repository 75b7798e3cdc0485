using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Contiv.HostAgent.Hosting;
using Contiv.Messages.Api;
using Contiv.Messages.Cluster;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;

namespace Contiv.Bench.Agents;

/// <summary>
/// `Contiv.Bench agents`: policy realization latency with many simulated agents. A real master
/// process; this process joins its cluster as an agent node and creates the endpoints through
/// sharding, then runs N simulated agents (the real feed follower and translation, a recording
/// dataplane) and times REST rule add → the rule in the state of every agent.
/// </summary>
public static class AgentsBench
{
    public const string Usage = """
        usage: dotnet Contiv.Bench.dll agents [--agents 100] [--endpoints 10000] [--changes 200]

        agents: a contiv-master (SQLite), this process as a cluster node with role agent, --endpoints
        endpoints created through sharding on --agents hosts, --agents simulated agents; then --changes
        rules added one at a time through REST, each timed until every agent holds it. Prints p50/p99,
        and memory per endpoint on the master (RSS) and in one agent's replica (managed heap).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int agents = 100, endpoints = 10_000, changes = 200;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                Console.Error.WriteLine($"error: {args[i]} needs a positive number\n\n{Usage}");
                return 2;
            }
            switch (args[i])
            {
                case "--agents": agents = value; break;
                case "--endpoints": endpoints = value; break;
                case "--changes": changes = value; break;
                default:
                    Console.Error.WriteLine($"error: unknown option {args[i]}\n\n{Usage}");
                    return 2;
            }
        }

        var remotePort = Contiv.Lab.LocalPorts.FreeTcpPort();
        // The master and this bench's node share the lab's cluster CA: cluster traffic is mutual TLS only.
        await using var master = await MasterLauncher.StartAsync(CancellationToken.None,
            ["--remote-port", remotePort.ToString(CultureInfo.InvariantCulture), .. Contiv.Lab.ClusterCertificates.Flags("master")]);
        using var http = new HttpClient { BaseAddress = master.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var seed = $"akka.ssl.tcp://contiv@127.0.0.1:{remotePort}";
        var node = await BenchClusterNode.JoinAsync(seed);
        var system = node.System;
        try
        {
            var feed = system.ActorOf(ClusterSingletonProxy.Props($"/user/{ClusterNames.Singletons.StateFeed}",
                ClusterSingletonProxySettings.Create(system).WithRole(ClusterNames.Roles.Master).WithSingletonName(ClusterNames.Singletons.StateFeed)), "state-feed-proxy");

            Console.WriteLine($"== setup: network bench (vxlan 10.100.0.0/16), 20 groups, policy bp on every group");
            await Post(http, "/api/v1/networks/default:bench/", """{"tenantName":"default","networkName":"bench","encap":"vxlan","subnet":"10.100.0.0/16","gateway":"10.100.0.1"}""");
            await Post(http, "/api/v1/policys/default:bp/", """{"tenantName":"default","policyName":"bp"}""");
            for (var g = 0; g < 20; g++)
                await Post(http, $"/api/v1/endpointGroups/default:g{g}/", $$"""{"tenantName":"default","groupName":"g{{g}}","networkName":"bench","policies":["bp"]}""");

            var rssBefore = master.ReadMemory()?.RssMiB ?? 0;
            var created = Stopwatch.StartNew();
            var createTimes = await node.CreateEndpointsAsync(endpoints, i =>
                ($"e{i}", new EndpointSpec("default", "bench", $"g{i % 20}", $"c{i}", SimAgentActor.Name(i % agents))));
            var rssAfter = master.ReadMemory()?.RssMiB ?? 0;
            var create = LatencyStats.FromMs(createTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{endpoints} endpoints created through sharding in {created.Elapsed.TotalSeconds:F1} s ({endpoints / created.Elapsed.TotalSeconds:F0}/s, 32 in flight; p50 {create.MedianMs:F1} ms, p99 {create.P99Ms:F1} ms)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"master RSS {rssBefore:F0} → {rssAfter:F0} MiB: {(rssAfter - rssBefore) * 1024 * 1024 / endpoints:F0} bytes per endpoint"));

            var realized = new ConcurrentDictionary<string, ConcurrentDictionary<int, long>>(StringComparer.Ordinal);
            var collector = system.ActorOf(Props.Create(() => new Collector(realized)), "collector");
            GC.Collect(2, GCCollectionMode.Forced, true);
            var heapBefore = GC.GetTotalMemory(true);
            var started = Stopwatch.StartNew();
            // All agents share this process's one connection to the master: ten snapshots of the whole
            // state at a time, as agents starting on different hosts would spread them anyway.
            for (var a = 0; a < agents; a++)
            {
                system.ActorOf(SimAgentActor.Props(a, feed, collector), SimAgentActor.Name(a));
                if (a % 10 != 9 && a != agents - 1) continue;
                var expected = a + 1;
                await WaitAsync(async () =>
                {
                    var hosts = await feed.Ask<FeedHosts>(new GetFeedHosts(), TimeSpan.FromSeconds(30));
                    return hosts.Realized.Count(r => r.Key.StartsWith("sim", StringComparison.Ordinal)) == expected;
                }, TimeSpan.FromMinutes(5));
            }
            await Task.Delay(2000);
            GC.Collect(2, GCCollectionMode.Forced, true);
            var heapAfter = GC.GetTotalMemory(true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{agents} simulated agents synced in {started.Elapsed.TotalSeconds:F1} s; their replicas and states take {(heapAfter - heapBefore) / 1024.0 / 1024:F0} MiB of managed heap: " +
                $"{(double)(heapAfter - heapBefore) / agents / endpoints:F0} bytes per endpoint per agent"));

            Console.WriteLine($"\n== {changes} rules added one at a time through REST; each timed until all {agents} agents hold it");
            var latencies = new List<double>();
            var acks = new List<double>();
            for (var c = 0; c < changes; c++)
            {
                var port = 20_000 + c;
                var start = Stopwatch.GetTimestamp();
                await Post(http, $"/api/v1/rules/default:bp:{c}/",
                    $$"""{"tenantName":"default","policyName":"bp","ruleId":"{{c}}","direction":"in","priority":{{c % 100 + 1}},"protocol":"tcp","port":{{port}},"action":"deny"}""");
                acks.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                var key = "r" + port;
                await WaitAsync(() => Task.FromResult(realized.TryGetValue(key, out var byAgent) && byAgent.Count == agents), TimeSpan.FromSeconds(60));
                latencies.Add(LatencyStats.TicksToMs(realized[key].Values.Max() - start));
            }
            var stats = LatencyStats.FromMs(latencies);
            var ack = LatencyStats.FromMs(acks);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"REST answer: p50 {ack.MedianMs:F1} ms, p99 {ack.P99Ms:F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"realized on all {agents} agents: p50 {stats.MedianMs:F1} ms, p99 {stats.P99Ms:F1} ms, max {stats.MaxMs:F1} ms (goal p99 <= 50 ms)"));
            return 0;
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private static async Task Post(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not reached within {timeout}");
            await Task.Delay(1);
        }
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(ConcurrentDictionary<string, ConcurrentDictionary<int, long>> realized) =>
            Receive<RuleRealized>(r => realized.GetOrAdd(r.RuleId, _ => new ConcurrentDictionary<int, long>())[r.Agent] = r.StopwatchTicks);
    }
}
