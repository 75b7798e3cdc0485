using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Contiv.HostAgent.Hosting;
using Contiv.Messages.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Contiv.Bench.Agents;

/// <summary>This process as a cluster node with role agent, Up, with a sharding proxy to the masters' endpoint entities.</summary>
public sealed class BenchClusterNode : IAsyncDisposable
{
    private readonly IHost _host;

    public ActorSystem System { get; }
    public IActorRef Endpoints { get; }

    private BenchClusterNode(IHost host, ActorSystem system, IActorRef endpoints)
    {
        _host = host;
        System = system;
        Endpoints = endpoints;
    }

    public static async Task<BenchClusterNode> JoinAsync(string seed, string? remoteHost = null)
    {
        var certificate = Contiv.Lab.ClusterCertificates.Files("bench");
        var config = AgentConfig.Load(new AgentOptions
        {
            Seeds = [seed], Host = "bench", VtepIp = "198.18.255.254", RemoteHost = remoteHost,
            ClusterCert = certificate.Certificate, ClusterKey = certificate.Key, ClusterCa = certificate.Authority,
        });
        // The agent's own node wiring, so that the bench joins with exactly the address, seeds and role an agent has.
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("contiv", builder => builder.WithAgentNode(config).WithEndpointProxy(config)))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var up = new TaskCompletionSource();
            Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
            await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new BenchClusterNode(host, system, await host.Services.GetRequiredService<ActorRegistry>().GetAsync<EndpointProxy>());
        }
        catch
        {
            await host.StopAsync();
            host.Dispose();
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
            var reply = await Endpoints.Ask<object>(new CreateEndpoint(id, spec).Addressed(), TimeSpan.FromSeconds(60));
            if (reply is not EndpointReady) throw new InvalidOperationException($"endpoint {id}: {reply}");
            times.Add(watch.Elapsed.TotalMilliseconds);
        });
        return [.. times];
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
