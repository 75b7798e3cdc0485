using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using Akka.Remote.Transport.DotNetty;
using Contiv.Lab;
using Contiv.Messages.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// Cluster membership is authenticated: a real contiv-master process (certificate from the lab's cluster CA) and nodes in this
/// process that try to join it and to reach its actors over real sockets: without TLS, with a certificate of another CA, with a
/// self-signed certificate, and, as the control that shows the attempts would be seen to succeed, with a certificate of the
/// cluster CA. The master's own log says why it refused each intruder; its members are checked through its REST /info.
/// </summary>
[Trait("Category", "Auth")]
[Trait("Category", "Cluster")]
[Collection(MastersCollection.Name)]
public sealed class ClusterTlsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Refused = "Refused the cluster connection with";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LabProcess _master = null!;
    private string _dataDir = null!;
    private int _remotePort;
    private HttpClient _http = null!;

    private string Seed => $"akka.ssl.tcp://contiv@127.0.0.1:{_remotePort.ToString(CultureInfo.InvariantCulture)}";

    public async Task InitializeAsync()
    {
        _dataDir = Directory.CreateTempSubdirectory("contiv-auth-").FullName;
        _remotePort = LocalPorts.FreeTcpPort();
        var rest = LocalPorts.FreeTcpPort();
        _master = await LabProcess.StartAsync("contiv-master",
            ["dotnet", Path.Combine(AppContext.BaseDirectory, "contiv-master.dll"), "--listen", $"127.0.0.1:{rest}", "--data-dir", _dataDir,
             "--remote-host", "127.0.0.1", "--remote-port", _remotePort.ToString(CultureInfo.InvariantCulture), .. ClusterCertificates.Flags("master-auth")],
            "contiv-master ready", TimeSpan.FromSeconds(90));
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{rest}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        output.WriteLine(_master.Output);
        await _master.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task An_agent_with_a_certificate_of_the_cluster_CA_joins_and_reaches_the_masters_actors()
    {
        await using var agent = await Node.StartAsync(Tls(ClusterCertificates.Tls("agent-auth").Setup()));

        agent.Join(Seed);
        await agent.Up.WaitAsync(Patience);
        Assert.Contains(agent.Address, await MembersAsync());
        var identity = await agent.IdentifyAsync($"{Seed}/user/gateway");
        Assert.NotNull(identity.Subject);
    }

    [Fact]
    public async Task A_node_without_TLS_cannot_join_nor_reach_the_masters_actors_over_plain_akka_remote()
    {
        var before = await MembersAsync();
        await using var intruder = await Node.StartAsync(Plain);
        var plainSeed = Seed.Replace("akka.ssl.tcp://", "akka.tcp://", StringComparison.Ordinal);

        // Plain Akka.Remote to the master's port: the TLS listener drops the connection, the intruder's association fails.
        var failed = intruder.AssociationFailed(plainSeed);
        intruder.Join(plainSeed);
        intruder.Tell($"{plainSeed}/user/gateway", new Identify("intruder"));
        await failed.WaitAsync(Patience);

        Assert.False(intruder.Up.IsCompleted, "the intruder became Up in the cluster");
        Assert.Equal(before, await MembersAsync());
        // Akka may answer an Identify it could not deliver itself, without a subject: the gateway's ref never reached the intruder.
        Assert.Null(intruder.Identified?.Subject);
    }

    [Fact]
    public async Task A_node_with_a_certificate_of_another_CA_cannot_join_nor_reach_the_masters_actors()
    {
        using var otherAuthority = ClusterCertificateAuthority.CreateAuthority("other");
        using var certificate = ClusterCertificateAuthority.IssueNode(otherAuthority, "agent-auth");
        await RefusedAsync(certificate, "CN=agent-auth");
    }

    [Fact]
    public async Task A_node_with_a_self_signed_certificate_cannot_join_nor_reach_the_masters_actors()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=self-signed-intruder", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        await RefusedAsync(certificate, "CN=self-signed-intruder");
    }

    /// <summary>
    /// The intruder speaks TLS and accepts any server certificate (so that only the master's check stands between it and the
    /// cluster); the master must refuse its certificate, say so, and leave its members as they were.
    /// </summary>
    private async Task RefusedAsync(X509Certificate2 certificate, string subject)
    {
        var before = await MembersAsync();
        using var withKey = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        await using var intruder = await Node.StartAsync(Tls(new DotNettySslSetup(withKey, suppressValidation: true, requireMutualAuthentication: true)));

        var refused = _master.WhenPrinted($"{Refused}");
        var failed = intruder.AssociationFailed(Seed);
        intruder.Join(Seed);
        intruder.Tell($"{Seed}/user/gateway", new Identify("intruder"));
        await refused.WaitAsync(Patience);
        await failed.WaitAsync(Patience);

        Assert.Contains($"{subject} does not chain to the cluster CA", _master.Output);
        Assert.False(intruder.Up.IsCompleted, "the intruder became Up in the cluster");
        Assert.Equal(before, await MembersAsync());
        // Akka may answer an Identify it could not deliver itself, without a subject: the gateway's ref never reached the intruder.
        Assert.Null(intruder.Identified?.Subject);
    }

    /// <summary>Every member's address in the master's /info (masters and agents).</summary>
    private async Task<List<string>> MembersAsync()
    {
        using var info = JsonDocument.Parse(await _http.GetStringAsync("/info"));
        return [.. new[] { "netmaster-nodes", "netplugin-nodes" }
            .SelectMany(kind => info.RootElement.GetProperty(kind).EnumerateArray())
            .Select(n => n.GetProperty("address").GetString()!)
            .Order(StringComparer.Ordinal)];
    }

    private static readonly Config Plain = ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.enable-ssl = off");

    private static Func<Config, ActorSystemSetup> Tls(DotNettySslSetup setup) => config => BootstrapSetup.Create().WithConfig(config).And(setup);

    /// <summary>A cluster node with role agent in this process, the shared cluster settings under it.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly ActorSystem _system;
        private readonly IActorRef _replies;
        private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Node(ActorSystem system)
        {
            _system = system;
            Cluster.Get(system).RegisterOnMemberUp(() => _up.TrySetResult());
            _replies = system.ActorOf(Props.Create(() => new Replies(this)));
        }

        public Task Up => _up.Task;
        public string Address => Cluster.Get(_system).SelfAddress.ToString();
        public ActorIdentity? Identified { get; private set; }

        public static Task<Node> StartAsync(Config plain) => Task.FromResult(new Node(ActorSystem.Create("contiv", Configure(plain))));

        public static Task<Node> StartAsync(Func<Config, ActorSystemSetup> setup) => Task.FromResult(new Node(ActorSystem.Create("contiv", setup(Configure(Config.Empty)))));

        private static Config Configure(Config over) => over.WithFallback(ConfigurationFactory.ParseString($$"""
            akka.loglevel = INFO
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.cluster.roles = [{{ClusterNames.Roles.Agent}}]
            """)).WithFallback(ClusterHocon.Shared);

        public void Join(string seed) => Cluster.Get(_system).JoinSeedNodes([Akka.Actor.Address.Parse(seed)]);

        public void Tell(string path, object message) => _system.ActorSelection(path).Tell(message, _replies);

        public async Task<ActorIdentity> IdentifyAsync(string path) =>
            await _system.ActorSelection(path).Ask<ActorIdentity>(new Identify("agent"), Patience);

        /// <summary>Completes when this node's remoting reports that an association with <paramref name="address"/> failed or was dropped.</summary>
        public Task AssociationFailed(string address)
        {
            var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var target = Akka.Actor.Address.Parse(address);
            var listener = _system.ActorOf(Props.Create(() => new AssociationListener(target, failed)));
            _system.EventStream.Subscribe(listener, typeof(AssociationErrorEvent));
            _system.EventStream.Subscribe(listener, typeof(DisassociatedEvent));
            return failed.Task;
        }

        public async ValueTask DisposeAsync() => await _system.Terminate();

        private sealed class Replies : ReceiveActor
        {
            public Replies(Node node) => Receive<ActorIdentity>(identity => node.Identified = identity);
        }

        private sealed class AssociationListener : ReceiveActor
        {
            public AssociationListener(Address target, TaskCompletionSource failed)
            {
                Receive<AssociationErrorEvent>(e => e.RemoteAddress == target, _ => failed.TrySetResult());
                Receive<DisassociatedEvent>(e => e.RemoteAddress == target, _ => failed.TrySetResult());
            }
        }
    }
}
