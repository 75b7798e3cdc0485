using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Contiv.Messages.Api;
using Contiv.Messages.Cluster;
using Contiv.Messages.Endpoints;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// A cluster node with role agent in the test process that creates endpoints through the masters'
/// endpoint shard region, exactly as a host agent does (its local API ends in the same ask), without
/// plumbing: the test is about the masters' allocations, not about ports.
/// </summary>
public sealed class EndpointClientNode : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _endpoints;

    private EndpointClientNode(ActorSystem system, IActorRef endpoints)
    {
        _system = system;
        _endpoints = endpoints;
    }

    public static async Task<EndpointClientNode> JoinAsync(IReadOnlyList<string> seeds)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.roles = [{{ClusterNames.Roles.Agent}}]
            akka.cluster.seed-nodes = [{{string.Join(", ", seeds.Select(s => $"\"{s}\""))}}]
            """).WithFallback(ClusterHocon.Shared);
        // Over mutual TLS with a certificate from the lab's cluster CA, as every node of the cluster.
        var system = ActorSystem.Create("contiv", BootstrapSetup.Create().WithConfig(config).And(Contiv.Lab.ClusterCertificates.Tls("endpoint-client").Setup()));
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        if (await Task.WhenAny(up.Task, Task.Delay(TimeSpan.FromSeconds(60))) != up.Task)
        {
            await system.Terminate();
            throw new TimeoutException("the endpoint client node did not become Up in the masters' cluster within 60 s");
        }
        var proxy = await ClusterSharding.Get(system).StartProxyAsync(ClusterNames.Regions.Endpoint, ClusterNames.Roles.Master,
            new Contiv.Messages.Sharding.EnvelopeExtractor(ClusterHocon.EndpointShards(config)));
        return new EndpointClientNode(system, proxy);
    }

    /// <summary>The endpoint with its address, or the masters' error; null when no answer came in time (not acknowledged).</summary>
    public async Task<object?> CreateAsync(string id, EndpointSpec spec, TimeSpan timeout)
    {
        try
        {
            return await _endpoints.Ask<object>(new CreateEndpoint(id, spec).Addressed(), timeout) switch
            {
                EndpointReady ready => ready.Endpoint,
                ApiError error => error,
                var other => throw new InvalidOperationException($"unexpected answer {other}"),
            };
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The masters' answer to a removal (EndpointRemoved or an error).</summary>
    public Task<object> RemoveAsync(string id, TimeSpan timeout) => _endpoints.Ask<object>(new RemoveEndpoint(id).Addressed(), timeout);

    public async ValueTask DisposeAsync()
    {
        await Cluster.Get(_system).LeaveAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        await _system.Terminate();
    }
}
