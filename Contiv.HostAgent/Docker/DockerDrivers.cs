using Akka.Hosting;
using Contiv.HostAgent.Host;
using Contiv.HostAgent.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Contiv.HostAgent.Docker;

/// <summary>
/// The Docker driver's sockets of one agent incarnation: the legacy plugin's (local scope) and the managed
/// plugin's (global scope, swarm), each optional; one network map behind both.
/// </summary>
public sealed class DockerDrivers : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];

    /// <summary>Starts what the config asks for; null (after saying why) when a socket cannot be served.</summary>
    public static async Task<DockerDrivers?> StartAsync(AgentConfig config, ActorRegistry registry)
    {
        var drivers = new DockerDrivers();
        var sockets = new[] { (config.DockerSocket, Scope: "local"), (config.DockerPluginSocket, Scope: "global") }
            .Where(s => s.Item1 is not null).Select(s => (Path: s.Item1!, s.Scope)).ToList();
        if (sockets.Count == 0) return drivers;
        DockerNetworkStore networks;
        try
        {
            networks = new DockerNetworkStore(config.DockerState);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"contiv-agent: cannot read the Docker network map: {ex.Message}");
            return null;
        }
        var timeout = config.MasterTimeout + config.FlowsTimeout + TimeSpan.FromSeconds(5);
        foreach (var (path, scope) in sockets)
        {
            var context = new DockerDriverContext(config.Host, scope, () => registry.Get<HostAgentActor>(), () => registry.Get<PoolProxy>(), networks, timeout);
            try
            {
                drivers._apps.Add(await StartOneAsync(path, new DockerDriver(context), config.DockerLogCalls));
                SocketAccess.Restrict(path, config.SocketGroup);
                Console.WriteLine($"contiv-agent: Docker network + IPAM driver ({scope} scope) on {path}");
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                Console.Error.WriteLine($"contiv-agent: cannot serve the Docker driver on {path}: {ex.Message}");
                await drivers.DisposeAsync();
                return null;
            }
        }
        return drivers;
    }

    private static async Task<WebApplication> StartOneAsync(string socket, DockerDriver driver, bool logCalls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        if (File.Exists(socket)) File.Delete(socket); // a stale socket of a dead agent
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(socket);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        DockerDriverServer.Map(app, driver, logCalls);
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        _apps.Clear();
    }
}
