using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Contiv.HostAgent.Hosting;
using Contiv.Messages.Endpoints;

namespace Contiv.Bench.Agents;

/// <summary>This process as a cluster node with role agent, Up, with a sharding proxy to the masters' endpoint entities.</summary>
public sealed class BenchClusterNode : IAsyncDisposable
{
    public ActorSystem System { get; }
    public IActorRef Endpoints { get; }

    private BenchClusterNode(ActorSystem system, IActorRef endpoints)
    {
        System = system;
        Endpoints = endpoints;
    }

    public static async Task<BenchClusterNode> JoinAsync(string seed, string? remoteHost = null)
    {
        var config = AgentConfig.Load(new AgentOptions { Seeds = [seed], Host = "bench", VtepIp = "198.18.255.254", RemoteHost = remoteHost });
        var system = ActorSystem.Create("contiv", config.Hocon);
        try
        {
            var up = new TaskCompletionSource();
            Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
            await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new BenchClusterNode(system, await ClusterSharding.Get(system).StartProxyAsync(EndpointMessageExtractor.TypeName, "master", new EndpointMessageExtractor()));
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Creates <paramref name="count"/> endpoints, 32 in flight; returns each one's latency in ms.</summary>
    public async Task<IReadOnlyList<double>> CreateEndpointsAsync(int count, Func<int, (string Id, EndpointSpec Spec)> endpoint)
    {
        var times = new System.Collections.Concurrent.ConcurrentBag<double>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var (id, spec) = endpoint(i);
            var watch = global::System.Diagnostics.Stopwatch.StartNew();
            var reply = await Endpoints.Ask<object>(new CreateEndpoint(id, spec), TimeSpan.FromSeconds(60));
            if (reply is not EndpointReady) throw new InvalidOperationException($"endpoint {id}: {reply}");
            times.Add(watch.Elapsed.TotalMilliseconds);
        });
        return [.. times];
    }

    public Task DisposeAsync() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
