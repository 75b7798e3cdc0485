using System.Collections;
using Contiv.Master.Hosting;
using Xunit;

namespace Contiv.Tests.Unit.Hosting;

public sealed class MasterOptionsTests
{
    private const string SeedA = "akka.ssl.tcp://contiv@10.0.0.1:4053";
    private const string SeedB = "akka.ssl.tcp://contiv@10.0.0.2:4053";
    private static readonly Hashtable NoEnvironment = new();

    [Fact]
    public void Seeds_repeat_and_keep_their_order()
    {
        var options = MasterOptions.Parse(["--seed", SeedA, "--seed", SeedB], NoEnvironment);
        Assert.Equal([SeedA, SeedB], options.Seeds);
    }

    [Theory]
    [InlineData("10.0.0.1:4053")]
    [InlineData("akka.ssl.tcp://other@10.0.0.1:4053")]
    [InlineData("akka.ssl.tcp://contiv@10.0.0.1")]
    [InlineData("http://contiv@10.0.0.1:4053")]
    [InlineData("akka.ssl.tcp://contiv@10.0.0.1:4053/user")]
    // Plain akka.tcp is not a cluster address any more: cluster traffic is TLS only.
    [InlineData("akka.tcp://contiv@10.0.0.1:4053")]
    public void A_seed_that_is_not_a_cluster_address_is_refused_with_an_example(string seed)
    {
        var error = Assert.Throws<OptionsException>(() => MasterOptions.Parse(["--seed", seed], NoEnvironment));
        Assert.Contains($"--seed {seed}", error.Message);
        Assert.Contains("akka.ssl.tcp://contiv@", error.Message);
    }

    [Fact]
    public void Every_flag_can_come_from_the_environment_and_a_flag_wins_over_it()
    {
        var environment = new Hashtable
        {
            ["CONTIV_MASTER_SEED"] = $"{SeedA}, {SeedB}",
            ["CONTIV_MASTER_JOURNAL"] = "postgres",
            ["CONTIV_MASTER_CONNECTION_STRING"] = "Host=db;Database=contiv",
            ["CONTIV_MASTER_REMOTE_PORT"] = "4053",
            ["CONTIV_MASTER_LISTEN"] = "0.0.0.0:9999",
        };
        var fromEnvironment = MasterOptions.Parse([], environment);
        Assert.Equal([SeedA, SeedB], fromEnvironment.Seeds);
        Assert.Equal("postgres", fromEnvironment.Journal);
        Assert.Equal("Host=db;Database=contiv", fromEnvironment.ConnectionString);
        Assert.Equal(4053, fromEnvironment.RemotePort);
        Assert.Equal(9999, fromEnvironment.Listen!.Port);

        var overridden = MasterOptions.Parse(["--seed", SeedB, "--remote-port", "5000"], environment);
        Assert.Equal([SeedB], overridden.Seeds);
        Assert.Equal(5000, overridden.RemotePort);
        Assert.Equal("postgres", overridden.Journal);
    }

    [Fact]
    public void A_bad_environment_value_is_named_by_its_variable()
    {
        var error = Assert.Throws<OptionsException>(() => MasterOptions.Parse([], new Hashtable { ["CONTIV_MASTER_REMOTE_PORT"] = "nine" }));
        Assert.Contains("CONTIV_MASTER_REMOTE_PORT=nine", error.Message);
    }

    [Fact]
    public void Seeds_without_a_shared_journal_are_refused()
    {
        var error = Assert.Throws<OptionsException>(() => MasterConfig.Load(MasterOptions.Parse(["--seed", SeedA], NoEnvironment)));
        Assert.Contains("--journal postgres", error.Message);
    }

    [Fact]
    public void Seeds_reach_the_cluster_settings()
    {
        var config = MasterConfig.Load(MasterOptions.Parse(
            ["--seed", SeedA, "--seed", SeedB, "--journal", "postgres", "--connection-string", "Host=127.0.0.1;Database=contiv",
             .. Contiv.Lab.ClusterCertificates.Flags("master-options")], NoEnvironment));
        Assert.Equal([SeedA, SeedB], config.Seeds);
        // cluster.hocon sits under master.hocon: the resolver and failure detector the agents share.
        Assert.Equal("keep-majority", config.Hocon.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("master", config.Hocon.GetString("akka.cluster.split-brain-resolver.keep-majority.role"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.Hocon.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
    }

    [Fact]
    public void An_unknown_flag_is_named()
    {
        var error = Assert.Throws<OptionsException>(() => MasterOptions.Parse(["--seeds", SeedA], NoEnvironment));
        Assert.Contains("unknown option --seeds", error.Message);
    }
}
