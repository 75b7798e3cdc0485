using System.Net.Sockets;
using System.Runtime.InteropServices;
using Contiv.DockerPlugin;

// The contiv Docker managed plugin's program (PID 1 in the plugin's container): listens where
// dockerd looks for the plugin's socket and forwards every connection to the host agent's Docker
// driver socket, bind-mounted into the plugin.
var pluginSocket = Setting("CONTIV_PLUGIN_SOCKET", "/run/docker/plugins/contiv.sock");
var agentSocket = Setting("CONTIV_AGENT_SOCKET", "/run/contiv/docker.sock");

// As PID 1 a signal without a handler of ours is ignored (and the runtime's default handling would
// re-raise it to exactly that): `docker plugin disable` would wait 10 s and then kill.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

Socket listener;
try
{
    listener = Listener.Bind(pluginSocket);
}
catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException or ArgumentException)
{
    Log.Line($"cannot listen on {pluginSocket}: {e.Message}");
    return 1;
}

Log.Line($"listening on {pluginSocket}, forwarding to {agentSocket}");
try
{
    await new Forwarder(agentSocket).ServeAsync(listener, stop.Token);
}
finally
{
    listener.Dispose();
    Listener.Remove(pluginSocket);
}
Log.Line("stopped");
return 0;

static string Setting(string name, string fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
