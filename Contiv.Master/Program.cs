using Akka.Actor;
using Akka.Hosting;
using Contiv.Master.Gateway;
using Contiv.Master.Hosting;
using Contiv.Messages.Api;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;

MasterOptions options;
MasterConfig config;
FileStream? dataLock = null;
try
{
    options = MasterOptions.Parse(args);
    config = MasterConfig.Load(options);
    if (!config.OnPostgres) dataLock = config.PrepareDatabase();
}
catch (OptionsException ex)
{
    Console.Error.WriteLine($"contiv-master: {ex.Message}");
    return 2;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
{
    Console.Error.WriteLine($"contiv-master: cannot use the data directory: {ex.Message}");
    return 1;
}
if (config.OnPostgres)
{
    try
    {
        await config.CheckPostgresAsync(TimeSpan.FromSeconds(10));
    }
    catch (Exception ex) when (ex is Npgsql.NpgsqlException or OperationCanceledException or ArgumentException or System.Net.Sockets.SocketException)
    {
        Console.Error.WriteLine($"contiv-master: cannot use the PostgreSQL journal at {config.SafeConnectionString}: {ex.GetBaseException().Message}");
        return 1;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// Requests still waiting on entities when the master stops (a downed master's, say) get this long, not
// the default 30 s: a supervisor restarts a downed master sooner.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.ShutdownTimeout);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(config.Listen);
    // Hard cap; RestApi answers 413 above contiv.master.max-request-body after reading what was sent.
    kestrel.Limits.MaxRequestBodySize = Math.Max(config.MaxRequestBody * 16, 16 * 1024 * 1024);
    kestrel.AddServerHeader = false;
});
builder.Services.AddContivMaster(config);
builder.AddRequestLimits(config);

var app = builder.Build();
app.UseRequestLimits();
var listen = $"{config.Listen.Address}:{config.Listen.Port}";
var rest = new RestApi(() => app.Services.GetRequiredService<ActorRegistry>().Get<GatewayActor>(), config.RequestTimeout, config.MaxRequestBody);
app.Map("/api/v1/{**path}", rest.Handle);
app.MapGet("/version", () => Results.Content(ClusterInfo.Version, "application/json"));
app.MapGet("/info", async () => Results.Content(await ClusterInfo.InfoAsync(app.Services.GetRequiredService<ActorSystem>(), listen,
    app.Services.GetRequiredService<ActorRegistry>().Get<Contiv.Master.Sharding.StateFeed>()), "application/json"));
app.MapFallback(rest.Handle);
try
{
    await app.StartAsync();
}
catch (IOException ex)
{
    Console.Error.WriteLine($"contiv-master: cannot serve REST on {listen}: {ex.Message}");
    return 1;
}

var system = app.Services.GetRequiredService<ActorSystem>();
var gateway = await app.Services.GetRequiredService<ActorRegistry>().GetAsync<GatewayActor>();

// Ready means the global entity has recovered and answers: then every request can be served.
var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
while (true)
{
    try
    {
        var reply = await gateway.Ask<ApiReply>(new GetObject(ObjectKind.Global, "global"), TimeSpan.FromSeconds(5));
        if (reply is ApiOk) break;
    }
    catch (AskTimeoutException) when (DateTime.UtcNow < deadline)
    {
    }
}
var journalText = config.OnPostgres ? $"journal on PostgreSQL {config.SafeConnectionString}" : $"data in {config.DataDir}";
Console.WriteLine($"contiv-master ready: REST on http://{listen}, {journalText}, cluster node {Akka.Cluster.Cluster.Get(system).SelfAddress}");
await app.WaitForShutdownAsync();
dataLock?.Dispose();
var reason = Akka.Actor.CoordinatedShutdown.Get(system).ShutdownReason;
if (reason is Akka.Actor.CoordinatedShutdown.ClusterDowningReason or Akka.Actor.CoordinatedShutdown.ClusterLeavingReason)
{
    // The split brain resolver downed this master (its side of a partition was the minority), or it was
    // removed from the cluster: it no longer serves. Exit non-zero so a supervisor restarts it to rejoin.
    Console.Error.WriteLine($"contiv-master: this master was removed from the cluster ({reason.GetType().Name}); restart it to rejoin");
    return 3;
}
return 0;
