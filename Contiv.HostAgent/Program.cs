using Akka.Actor;
using Akka.Hosting;
using Contiv.Dataplane.Ovs.Ovsdb;
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

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var socketDir = Path.GetDirectoryName(config.Socket)!;
Directory.CreateDirectory(socketDir);
if (File.Exists(config.Socket)) File.Delete(config.Socket); // a stale socket of a dead agent
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenUnixSocket(config.Socket);
    kestrel.AddServerHeader = false;
});
builder.Services.AddContivAgent(config, new EndpointPlumber(bridges, config.Bridge), new TunnelPorts(bridges, config.Bridge), uplinkPort);

var app = builder.Build();
LocalApiRoutes.Map(app, () => app.Services.GetRequiredService<ActorRegistry>().Get<HostAgentActor>(), config.MasterTimeout + config.FlowsTimeout + TimeSpan.FromSeconds(5));
try
{
    await app.StartAsync();
}
catch (IOException ex)
{
    Console.Error.WriteLine($"contiv-agent: cannot serve the local API on {config.Socket}: {ex.Message}");
    return 1;
}

var system = app.Services.GetRequiredService<ActorSystem>();
var agent = await app.Services.GetRequiredService<ActorRegistry>().GetAsync<HostAgentActor>();
Console.WriteLine($"contiv-agent started: host {config.Host}, VTEP {config.VtepIp}, bridge {config.Bridge}, local API on {config.Socket}, " +
                  $"cluster node {Akka.Cluster.Cluster.Get(system).SelfAddress}");
_ = Task.Run(async () =>
{
    // "ready" once the masters' state is here and the host is reconciled with it.
    while (!app.Lifetime.ApplicationStopping.IsCancellationRequested)
    {
        try
        {
            if (await agent.Ask<AgentStatus>(new GetAgentStatus(), TimeSpan.FromSeconds(5)) is { Ready: true } status)
            {
                Console.WriteLine($"contiv-agent ready: feed version {status.FeedVersion}, {status.LocalEndpoints} endpoints on this host");
                return;
            }
        }
        catch (AskTimeoutException)
        {
        }
        await Task.Delay(200);
    }
});
await app.WaitForShutdownAsync();
await ovsdb.DisposeAsync();
return 0;
