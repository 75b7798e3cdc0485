using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Persistence.Sql;
using Akka.Remote.Hosting;
using Contiv.Master.Access;
using Contiv.Master.Entities;
using Contiv.Master.Entities.Access;
using Contiv.Master.Entities.Endpoints;
using Contiv.Master.Entities.Global;
using Contiv.Master.Feed;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Gateway;
using Contiv.Master.Reads;
using Contiv.Master.Sharding;
using Contiv.Master.Watch;
using Contiv.Messages.Cluster;
using Contiv.Messages.Sharding;
using Microsoft.Extensions.DependencyInjection;

namespace Contiv.Master.Hosting;

/// <summary>All Akka.NET wiring of the master in one place: config, shard regions, the gateway actor.</summary>
public static class AkkaSetup
{
    public static IServiceCollection AddContivMaster(this IServiceCollection services, MasterConfig config)
    {
        var settings = EntitySettings.From(config.Hocon, config.FwdMode);
        var extractor = new EnvelopeExtractor(config.MaxShards);
        var endpointExtractor = new EnvelopeExtractor(config.EndpointShards);
        services.AddSingleton(config);
        var access = AccessSettings.From(config.Hocon);
        services.AddSingleton(access);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new Authenticator(() => provider.GetRequiredService<ActorRegistry>().Get<AccessRegion>(), access,
            settings.AskTimeout, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new LoginThrottle(access, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<JournalHealth>();
        services.AddHostedService<JournalProbe>();
        return services.AddAkka("contiv", builder =>
        {
            builder.WithMasterNode(config);
            if (!config.OnPostgres && config.Hocon.GetRequiredBoolean("contiv.master.sqlite.connection-pragmas"))
                builder.AddSetup(SqliteConnections.Setup(config.ConnectionString, config.Hocon));
            builder.WithShardRegion<GlobalRegion>(ClusterNames.Regions.Global, (system, registry) => _ => GlobalEntity.Props(settings, registry.Get<StateFeed>(),
                    Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator),
                extractor, Remembered(true));
            builder.WithShardRegion<AccessRegion>(ClusterNames.Regions.Access, (system, _) => _ => AccessEntity.Props(settings,
                    Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator),
                extractor, Remembered(false));
            builder.WithShardRegion<PoolRegion>(ClusterNames.Regions.Pool, id => IpPoolEntity.Props(id, settings), extractor, Remembered(false));
            builder.WithShardRegion<TenantRegion>(ClusterNames.Regions.Tenant,
                (system, registry) => id => TenantEntity.Props(id, settings, registry.Get<GlobalRegion>(), registry.Get<PoolRegion>(), registry.Get<StateFeed>(),
                    Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator, Cluster.Get(system).SelfAddress.ToString()),
                extractor, Remembered(true));
            // Its own shard count: see contiv.cluster.endpoint-shards in cluster.hocon.
            builder.WithShardRegion<EndpointRegion>(ClusterNames.Regions.Endpoint,
                (_, registry) => id => EndpointEntity.Props(id, settings, registry.Get<TenantRegion>(), registry.Get<PoolRegion>()),
                endpointExtractor, Remembered(true));
            builder.WithSingleton<StateFeed>(ClusterNames.Singletons.StateFeed,
                (system, registry, _) => StateFeedActor.Props(registry.Get<GlobalRegion>(), registry.Get<TenantRegion>(),
                    Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator, FeedSettings.From(config.Hocon)),
                new ClusterSingletonOptions { Role = ClusterNames.Roles.Master }, createProxyToo: true);
            builder.WithActors((system, registry, resolver) =>
            {
                var watch = system.ActorOf(WatchHubActor.Props(WatchSettings.From(config.Hocon),
                    Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator), "watch");
                registry.Register<WatchHubActor>(watch);
                var readModel = system.ActorOf(ReadModelActor.Props(registry.Get<GlobalRegion>(), registry.Get<TenantRegion>(), registry.Get<PoolRegion>(),
                    registry.Get<StateFeed>(), watch, ReadModelSettings.From(config.Hocon, settings.AskTimeout)), "read-model");
                registry.Register<ReadModel>(readModel);
                system.ActorOf(AccessChangeListener.Props(Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator,
                    resolver.GetService<Authenticator>()), "access-changes");
                registry.Register<GatewayActor>(system.ActorOf(
                    GatewayActor.Props(registry.Get<GlobalRegion>(), registry.Get<TenantRegion>(), registry.Get<EndpointRegion>(), registry.Get<StateFeed>(), readModel,
                        settings.AskTimeout, resolver.GetService<JournalHealth>()), "gateway"));
            });
            builder.AddStartup((system, _) =>
            {
                // Alone, a master is a one-node cluster: it joins itself.
                var cluster = Cluster.Get(system);
                if (config.Seeds.Count == 0) cluster.Join(cluster.SelfAddress);
            });
        });
    }

    /// <summary>
    /// The master's HOCON (with the journal's plugin defaults under it), with its address, seeds and role on top:
    /// they are prepended after the HOCON, so they win over master.hocon and a --config file. Remoting is mutual TLS
    /// with the master's cluster certificate (cluster.hocon turns TLS on; the setup brings the certificate and the CA check).
    /// </summary>
    public static AkkaConfigurationBuilder WithMasterNode(this AkkaConfigurationBuilder builder, MasterConfig config) => builder
        .AddHocon(config.Hocon, HoconAddMode.Prepend)
        .AddSetup(config.ClusterTls.Setup())
        .AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append)
        .WithRemoting(new RemoteOptions { HostName = config.Remote.HostName, Port = config.Remote.Port })
        .WithClustering(new ClusterOptions { Roles = [ClusterNames.Roles.Master], SeedNodes = [.. config.Seeds] });

    private static ShardOptions Remembered(bool remember) => new()
    {
        Role = ClusterNames.Roles.Master,
        RememberEntities = remember,
        StateStoreMode = StateStoreMode.Persistence,
        RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
    };
}
