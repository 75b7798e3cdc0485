using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using Contiv.Dataplane.Ovs.Ovsdb;
using Contiv.HostAgent.Docker;
using Contiv.HostAgent.Host;
using Contiv.HostAgent.Hosting;
using Contiv.HostAgent.LocalApi;
using Contiv.HostAgent.Plumbing;

AgentConfig config;
try
{
    config = AgentConfig.Load(AgentOptions.Parse(args));
}
catch (AgentOptionsException ex)
{
    Console.Error.WriteLine($"contiv-agent: {ex.Message}");
    return 2;
}

// The bridge, its controller listener and the uplink first: without them there is nothing to run.
OvsdbClient ovsdb;
OvsBridgeManager bridges;
uint? uplinkPort = null;
try
{
    ovsdb = await OvsdbClient.ConnectAsync(config.Ovsdb);
    bridges = new OvsBridgeManager(ovsdb);
    await bridges.EnsureBridgeAsync(new OvsBridgeSpec(config.Bridge, config.DatapathType, [config.OpenFlowListen]));
    if (config.Uplink is { } uplink)
    {
        await bridges.EnsurePortAsync(config.Bridge, OvsPortSpec.System(uplink));
        uplinkPort = (uint)await bridges.GetOfPortAsync(uplink);
    }
    await bridges.WaitForVswitchdAsync();
}
catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OvsdbException or TimeoutException or InvalidOperationException)
{
    Console.Error.WriteLine($"contiv-agent: cannot set up bridge {config.Bridge} through ovsdb-server at {config.Ovsdb}: {ex.Message}");
    return 1;
}

var plumber = new EndpointPlumber(bridges, config.Bridge);
var tunnels = new TunnelPorts(bridges, config.Bridge);
using var stopping = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stopping.Cancel());
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => stopping.Cancel());

// One incarnation per cluster membership: when the masters are lost (or this node is downed), the
// actor system ends and a new one joins again through the seeds. SIGTERM ends the loop.
while (true)
{
    var outcome = await RunIncarnationAsync();
    if (outcome != 0 || stopping.IsCancellationRequested) return outcome;
    Console.WriteLine("contiv-agent: the cluster membership ended; joining again through the seeds");
    await Task.Delay(TimeSpan.FromSeconds(1));
}

async Task<int> RunIncarnationAsync()
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    Directory.CreateDirectory(Path.GetDirectoryName(config.Socket)!);
    if (File.Exists(config.Socket)) File.Delete(config.Socket); // a stale socket of a dead agent
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.ListenUnixSocket(config.Socket);
        kestrel.AddServerHeader = false;
    });
    builder.Services.AddContivAgent(config, plumber, tunnels, uplinkPort);

    await using var app = builder.Build();
    LocalApiRoutes.Map(app, () => app.Services.GetRequiredService<ActorRegistry>().Get<HostAgentActor>(), config.MasterTimeout + config.FlowsTimeout + TimeSpan.FromSeconds(5));
    try
    {
        await app.StartAsync();
        SocketAccess.Restrict(config.Socket, config.SocketGroup);
    }
    catch (Exception ex) when (ex is IOException or InvalidOperationException)
    {
        Console.Error.WriteLine($"contiv-agent: cannot serve the local API on {config.Socket}: {ex.Message}");
        return 1;
    }

    var system = app.Services.GetRequiredService<ActorSystem>();
    var agent = await app.Services.GetRequiredService<ActorRegistry>().GetAsync<HostAgentActor>();
    await using var docker = await DockerDrivers.StartAsync(config, app.Services.GetRequiredService<ActorRegistry>());
    if (docker is null) return 1;
    Console.WriteLine($"contiv-agent started: host {config.Host}, VTEP {config.VtepIp}, bridge {config.Bridge}, local API on {config.Socket}, " +
                      $"cluster node {Akka.Cluster.Cluster.Get(system).SelfAddress}");
    foreach (var warning in config.ClusterTlsWarnings) Console.Error.WriteLine($"contiv-agent: WARNING: {warning}");
    _ = Contiv.Messages.Cluster.ClusterCertificateWatch.WarnPeriodicallyAsync(config.ClusterTls,
        Contiv.Messages.Cluster.ClusterCertificateWatch.WarnWithin(config.Hocon),
        warning => Console.Error.WriteLine($"contiv-agent: WARNING: {warning}"), app.Lifetime.ApplicationStopping);
    _ = AnnounceReadyAsync(agent, app.Lifetime.ApplicationStopping);
    await Task.WhenAny(app.WaitForShutdownAsync(stopping.Token), system.WhenTerminated);
    await app.StopAsync();
    return 0;
}

static async Task AnnounceReadyAsync(IActorRef agent, CancellationToken stopping)
{
    // "ready" once the masters' state is here and the host is reconciled with it.
    while (!stopping.IsCancellationRequested)
    {
        try
        {
            if (await agent.Ask<AgentStatus>(new GetAgentStatus(), TimeSpan.FromSeconds(5)) is { Ready: true } status)
            {
                Console.WriteLine($"contiv-agent ready: feed version {status.FeedVersion}, {status.LocalEndpoints} endpoints on this host");
                return;
            }
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
        {
        }
        await Task.Delay(200, CancellationToken.None);
    }
}
