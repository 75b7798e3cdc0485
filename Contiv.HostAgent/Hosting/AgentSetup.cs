using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.HostAgent.Host;
using Contiv.HostAgent.Plumbing;
using Contiv.Messages.Cluster;
using Contiv.Messages.Sharding;
using Microsoft.Extensions.DependencyInjection;

namespace Contiv.HostAgent.Hosting;

/// <summary>Registry keys of the agent's actors.</summary>
public sealed class StateFeedProxy;

public sealed class EndpointProxy;

public sealed class PoolProxy;

/// <summary>All Akka.NET wiring of the agent: a cluster node with role agent, proxies to the masters' feed and endpoints, the host agent actor.</summary>
public static class AgentSetup
{
    public static IServiceCollection AddContivAgent(this IServiceCollection services, AgentConfig config, EndpointPlumber plumber,
        TunnelPorts tunnels, uint? uplinkPort)
    {
        return services.AddAkka("contiv", builder =>
        {
            builder.WithAgentNode(config);
            builder.WithSingletonProxy<StateFeedProxy>(ClusterNames.Singletons.StateFeed, new ClusterSingletonOptions { Role = ClusterNames.Roles.Master });
            builder.WithEndpointProxy(config);
            // Docker's IPAM asks the network's pool directly: addresses exist there before any endpoint does.
            builder.WithShardRegionProxy<PoolProxy>(ClusterNames.Regions.Pool, ClusterNames.Roles.Master,
                new EnvelopeExtractor(ClusterHocon.MaxShards(config.Hocon)));
            builder.WithActors((system, registry) =>
            {
                var runtime = new AgentRuntime(
                    config.Host, config.VtepIp, config.Uplink, uplinkPort,
                    Cluster.Get(system).SelfAddress.ToString(),
                    registry.Get<StateFeedProxy>(), registry.Get<EndpointProxy>(),
                    plumber, tunnels,
                    OpenFlowSwitch.Connector(config.OpenFlowConnect, config.Dataplane.OpenFlow), config.Dataplane,
                    config.MasterTimeout, config.FlowsTimeout, config.ResubscribeAfter, config.SilenceTimeout, config.EndpointMtu,
                    config.DockerSocket is null && config.DockerPluginSocket is null ? null : registry.Get<PoolProxy>());
                registry.Register<HostAgentActor>(system.ActorOf(HostAgentActor.Props(runtime), "host"));
                system.ActorOf(MastersWatch.Props(config.MastersLostAfter), "masters-watch");
            });
        });
    }

    /// <summary>
    /// The agent's HOCON, with its address, seeds and role on top (prepended after it, so they win over agent.hocon and a --config file),
    /// and remoting over mutual TLS with the agent's cluster certificate.
    /// </summary>
    public static AkkaConfigurationBuilder WithAgentNode(this AkkaConfigurationBuilder builder, AgentConfig config) => builder
        .AddHocon(config.Hocon, HoconAddMode.Prepend)
        .AddSetup(config.ClusterTls.Setup())
        .WithRemoting(new RemoteOptions { HostName = config.Remote.HostName, Port = config.Remote.Port })
        .WithClustering(new ClusterOptions { Roles = [ClusterNames.Roles.Agent], SeedNodes = [.. config.Seeds] });

    /// <summary>The proxy to the masters' endpoint region, registered as <see cref="EndpointProxy"/>; commands go to it <see cref="Contiv.Messages.Endpoints.EndpointCommandExtensions.Addressed">addressed</see>.</summary>
    public static AkkaConfigurationBuilder WithEndpointProxy(this AkkaConfigurationBuilder builder, AgentConfig config) =>
        builder.WithShardRegionProxy<EndpointProxy>(ClusterNames.Regions.Endpoint, ClusterNames.Roles.Master,
            new EnvelopeExtractor(ClusterHocon.EndpointShards(config.Hocon)));
}
