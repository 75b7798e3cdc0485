using Akka.Actor;
using Akka.Hosting;
using Contiv.Master.Access;
using Contiv.Master.Gateway;
using Contiv.Master.Hosting;
using Contiv.Messages.Api;
using Contiv.Messages.Cluster;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;

if (args is ["certs", ..]) return ClusterCertsCommand.Run(args[1..], Console.Out, Console.Error);

MasterOptions options;
MasterConfig config;
FileStream? dataLock = null;
try
{
    options = MasterOptions.Parse(args);
    config = MasterConfig.Load(options);
    if (config.ClusterTlsNotice is not null) Console.WriteLine(config.ClusterTlsNotice);
    foreach (var warning in config.ClusterTlsWarnings) Console.Error.WriteLine($"contiv-master: WARNING: {warning}");
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

System.Security.Cryptography.X509Certificates.X509Certificate2? apiCertificate = null;
if (config.SecureListen is not null)
{
    try
    {
        if (config.TlsFiles is { } files) apiCertificate = ApiCertificate.FromPem(files.Certificate, files.Key);
        else
        {
            (apiCertificate, var created) = ApiCertificate.SelfSigned(config.TlsDirectory, config.SecureListen.Address);
            if (created) Console.WriteLine($"contiv-master: made a self-signed TLS certificate for the secure listener in {config.TlsDirectory}");
        }
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
    {
        Console.Error.WriteLine($"contiv-master: cannot load the TLS certificate for --secure-listen: {ex.Message}");
        return 1;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// One line per write (who, what, from where, the result) and every login, whatever the level of the rest.
builder.Logging.AddFilter(AuditLog.Category, LogLevel.Information);
// Requests still waiting on entities when the master stops (a downed master's, say) get this long, not
// the default 30 s: a supervisor restarts a downed master sooner.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.ShutdownTimeout);
var halfCloseGrace = RequestLimits.From(config.Hocon).HalfCloseGrace;
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(config.Listen, listen => HalfCloseTolerantConnection.Use(listen, halfCloseGrace));
    if (config.SecureListen is not null)
        kestrel.Listen(config.SecureListen, listen =>
        {
            listen.UseHttps(apiCertificate!, https =>
                https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
            HalfCloseTolerantConnection.Use(listen, halfCloseGrace);
        });
    // Hard cap; RestApi answers 413 above contiv.master.max-request-body after reading what was sent.
    kestrel.Limits.MaxRequestBodySize = Math.Max(config.MaxRequestBody * 16, 16 * 1024 * 1024);
    kestrel.AddServerHeader = false;
});
builder.Services.AddContivMaster(config);
builder.AddRequestLimits(config);

var app = builder.Build();
app.UseRequestLimits();
var listen = $"{config.Listen.Address}:{config.Listen.Port}";
var audit = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AuditLog.Category);
var authProxy = new AuthProxyApi(app.Services.GetRequiredService<Authenticator>(), app.Services.GetRequiredService<LoginThrottle>(),
    app.Services.GetRequiredService<AccessSettings>(), audit);
var access = new AccessMiddleware(app.Services.GetRequiredService<Authenticator>(), authProxy, audit);
app.Use((http, next) => access.InvokeAsync(http, next));
var rest = new RestApi(() => app.Services.GetRequiredService<ActorRegistry>().Get<GatewayActor>(), config.RequestTimeout, config.MaxRequestBody);
var watch = new Contiv.Master.Watch.WatchStream(() => app.Services.GetRequiredService<ActorRegistry>().Get<Contiv.Master.Watch.WatchHubActor>(),
    Contiv.Master.Watch.WatchSettings.From(config.Hocon), app.Services.GetRequiredService<Authenticator>());
app.MapGet(Contiv.Master.Watch.WatchStream.Path, watch.Handle);
var consoleAssets = Contiv.Master.WebConsole.ConsoleAssets.Load();
app.Map(Contiv.Master.WebConsole.ConsoleAssets.Prefix + "/{**path}", consoleAssets.Handle);
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
var firstAdmin = await FirstAdminUser.EnsureAsync(app.Services.GetRequiredService<Authenticator>(), app.Services.GetRequiredService<AccessSettings>(),
    config.AdminPassword);
if (firstAdmin is not null) Console.WriteLine(firstAdmin);
if (apiCertificate is not null)
    Console.WriteLine($"contiv-master: secure REST on https://{config.SecureListen}, TLS certificate SHA-256 fingerprint {ApiCertificate.Fingerprint(apiCertificate)}");
_ = ClusterCertificateWatch.WarnPeriodicallyAsync(config.ClusterTls, ClusterCertificateWatch.WarnWithin(config.Hocon),
    warning => Console.Error.WriteLine($"contiv-master: WARNING: {warning}"), app.Lifetime.ApplicationStopping);
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
