using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.HostAgent.Host;
using Contiv.HostAgent.Plumbing;
using Contiv.Messages.Endpoints;
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
            builder.AddHocon(config.Hocon, HoconAddMode.Prepend);
            builder.WithSingletonProxy<StateFeedProxy>("state-feed", new ClusterSingletonOptions { Role = "master" });
            builder.WithShardRegionProxy<EndpointProxy>(EndpointMessageExtractor.TypeName, "master", new EndpointMessageExtractor());
            // Docker's IPAM asks the network's pool directly: addresses exist there before any endpoint does.
            builder.WithShardRegionProxy<PoolProxy>(Contiv.Messages.Pools.PoolOwners.RegionName, "master",
                new Contiv.Messages.Sharding.EnvelopeExtractor(config.Hocon.GetInt("contiv.cluster.max-shards", 50)));
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
}
