using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Persistence.Sql;
using Contiv.Master.Entities;
using Contiv.Master.Entities.Endpoints;
using Contiv.Master.Entities.Global;
using Contiv.Master.Feed;
using Contiv.Messages.Endpoints;
using Contiv.Master.Entities.Pools;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Gateway;
using Contiv.Master.Reads;
using Contiv.Master.Sharding;
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
        services.AddSingleton(config);
        services.AddSingleton<JournalHealth>();
        services.AddHostedService<JournalProbe>();
        return services.AddAkka("contiv", builder =>
        {
            builder.AddHocon(config.Hocon, HoconAddMode.Prepend);
            builder.AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append);
            if (!config.OnPostgres && config.Hocon.GetBoolean("contiv.master.sqlite.connection-pragmas", true))
                builder.AddSetup(SqliteConnections.Setup(config.ConnectionString, config.Hocon));
            builder.WithShardRegion<GlobalRegion>("global", (_, registry) => _ => GlobalEntity.Props(settings, registry.Get<StateFeed>()),
                extractor, Remembered(true));
            builder.WithShardRegion<PoolRegion>(Contiv.Messages.Pools.PoolOwners.RegionName, id => IpPoolEntity.Props(id, settings), extractor, Remembered(false));
            builder.WithShardRegion<TenantRegion>("tenant",
                (system, registry) => id => TenantEntity.Props(id, settings, registry.Get<GlobalRegion>(), registry.Get<PoolRegion>(), registry.Get<StateFeed>(),
                    Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(system).Mediator, Cluster.Get(system).SelfAddress.ToString()),
                extractor, Remembered(true));
            builder.WithShardRegion<EndpointRegion>(EndpointMessageExtractor.TypeName,
                (_, registry) => id => EndpointEntity.Props(id, settings, registry.Get<TenantRegion>(), registry.Get<PoolRegion>()),
                new EndpointMessageExtractor(), Remembered(true));
            builder.WithSingleton<StateFeed>("state-feed",
                (_, registry, _) => StateFeedActor.Props(registry.Get<GlobalRegion>(), registry.Get<TenantRegion>(), FeedSettings.From(config.Hocon)),
                new ClusterSingletonOptions { Role = "master" }, createProxyToo: true);
            builder.WithActors((system, registry, resolver) =>
            {
                var readModel = system.ActorOf(ReadModelActor.Props(registry.Get<GlobalRegion>(), registry.Get<TenantRegion>(), registry.Get<PoolRegion>(),
                    registry.Get<StateFeed>(), ReadModelSettings.From(config.Hocon, settings.AskTimeout)), "read-model");
                registry.Register<ReadModel>(readModel);
                registry.Register<GatewayActor>(system.ActorOf(
                    GatewayActor.Props(registry.Get<GlobalRegion>(), registry.Get<TenantRegion>(), registry.Get<EndpointRegion>(), registry.Get<StateFeed>(), readModel,
                        settings.AskTimeout, resolver.GetService<JournalHealth>()), "gateway"));
            });
            builder.AddStartup((system, _) =>
            {
                // Alone, a master is a one-node cluster: it joins itself.
                var cluster = Cluster.Get(system);
                if (system.Settings.Config.GetStringList("akka.cluster.seed-nodes").Count == 0) cluster.Join(cluster.SelfAddress);
            });
        });
    }

    private static ShardOptions Remembered(bool remember) => new()
    {
        Role = "master",
        RememberEntities = remember,
        StateStoreMode = StateStoreMode.Persistence,
        RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
    };
}
