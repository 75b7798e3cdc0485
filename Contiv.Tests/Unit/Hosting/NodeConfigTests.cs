using System.Collections;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Contiv.HostAgent.Hosting;
using Contiv.Master.Entities;
using Contiv.Master.Hosting;
using Contiv.Messages.Cluster;
using Contiv.Tests.Unit.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Contiv.Tests.Unit.Hosting;

/// <summary>
/// The configuration an actor system really starts with: the node's flags reach Akka through Akka.Hosting's
/// typed options, which must win over the embedded HOCON (added before them) and keep what it tunes.
/// </summary>
public sealed class NodeConfigTests
{
    private const string SeedA = "akka.ssl.tcp://contiv@127.0.0.1:1";
    private const string SeedB = "akka.ssl.tcp://contiv@127.0.0.1:2";

    [Fact]
    public async Task A_master_starts_with_its_flags_address_seeds_and_role()
    {
        var port = Contiv.Lab.LocalPorts.FreeTcpPort();
        var config = MasterConfig.Load(MasterOptions.Parse(
            ["--seed", SeedA, "--seed", SeedB, "--journal", "postgres", "--connection-string", "Host=127.0.0.1;Database=contiv",
             "--remote-host", "127.0.0.1", "--remote-port", port.ToString(CultureInfo.InvariantCulture), .. Contiv.Lab.ClusterCertificates.Flags("master-config")],
            new Hashtable()));

        var effective = await EffectiveConfig(builder => builder.WithMasterNode(config), system =>
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            Assert.Equal(port, cluster.SelfAddress.Port);
            Assert.Contains(ClusterNames.Roles.Master, cluster.SelfRoles);
        });

        Assert.Equal([SeedA, SeedB], effective.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal("127.0.0.1", effective.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(port, effective.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal([ClusterNames.Roles.Master], effective.GetStringList("akka.cluster.roles"));
        SharedClusterSettingsSurvive(effective);
        Assert.Equal(TimeSpan.FromMilliseconds(200), effective.GetTimeSpan("akka.cluster.sharding.retry-interval"));
        Assert.Equal("Host=127.0.0.1;Database=contiv", effective.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(4, effective.GetInt("akka.persistence.journal.sql.parallelism"));
    }

    [Fact]
    public async Task An_agent_starts_with_its_flags_address_seeds_and_role()
    {
        var port = Contiv.Lab.LocalPorts.FreeTcpPort();
        var certificate = Contiv.Lab.ClusterCertificates.Files("agent-config");
        var config = AgentConfig.Load(new AgentOptions
        {
            Seeds = [SeedA, SeedB], VtepIp = "198.18.0.1", RemoteHost = "127.0.0.1", RemotePort = port,
            ClusterCert = certificate.Certificate, ClusterKey = certificate.Key, ClusterCa = certificate.Authority,
        });

        var effective = await EffectiveConfig(builder => builder.WithAgentNode(config), system =>
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            Assert.Equal(port, cluster.SelfAddress.Port);
            Assert.Contains(ClusterNames.Roles.Agent, cluster.SelfRoles);
        });

        Assert.Equal([SeedA, SeedB], effective.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(port, effective.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal([ClusterNames.Roles.Agent], effective.GetStringList("akka.cluster.roles"));
        SharedClusterSettingsSurvive(effective);
    }

    [Fact]
    public void Entities_snapshot_as_often_as_master_hocon_says()
    {
        Assert.Equal(1000, EntitySettings.From(MasterHocon.Full, "bridge").SnapshotEvery);
    }

    [Fact]
    public void A_tunable_missing_from_the_configuration_fails_instead_of_reading_as_zero()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            EntitySettings.From(ConfigurationFactory.ParseString("contiv.master.entity-ask-timeout = 10s"), "bridge"));
        Assert.Contains("contiv.master.snapshot-every", error.Message);
    }

    private static void SharedClusterSettingsSurvive(Config effective)
    {
        Assert.Equal("keep-majority", effective.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(ClusterNames.Roles.Master, effective.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), effective.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromSeconds(1), effective.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(1, effective.GetInt("akka.cluster.min-nr-of-members"));
        Assert.True(effective.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"), "cluster traffic must be TLS on every node");
    }

    private static async Task<Config> EffectiveConfig(Action<AkkaConfigurationBuilder> configure, Action<ActorSystem> check)
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("contiv", configure))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            check(system);
            return system.Settings.Config;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
