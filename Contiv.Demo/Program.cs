using System.Net.Http.Json;
using System.Text.Json;
using Contiv.Lab;

// A master and two hosts on this machine, each host a network namespace with its own ovs-vswitchd
// and contiv-agent; two containers per host in groups web and db; traffic tried between all of them
// before, with and after a deny rule written through REST.
// Ctrl-C: the next step is not taken and the finally block tears the lab down (by PID and by the
// names it made). A second Ctrl-C ends the process at once; the lab's process-exit nets still kill
// its daemons and agents by PID and remove its namespaces and links.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (interrupted.IsCancellationRequested) return;
    e.Cancel = true;
    interrupted.Cancel();
    Console.Error.WriteLine("\n(interrupted: stopping after this step; Ctrl-C again to quit at once)");
};
var token = interrupted.Token;

if (Environment.UserName != "root")
{
    Console.Error.WriteLine("contiv demo: run as root (it creates network namespaces, bridges and Open vSwitch daemons)");
    return 2;
}

Console.WriteLine("Starting a master and two hosts (namespaces with their own ovs-vswitchd and contiv-agent)...");
ClusterLab? lab = null;
var servers = new List<TcpEchoServer>();
try
{
    lab = await ClusterLab.StartAsync(hosts: 2, token);
    Console.WriteLine($"  master REST {lab.Master.RestUrl}, cluster {lab.Master.Seed}");
    foreach (var host in lab.Hosts) Console.WriteLine($"  host {host.Name}: namespace {host.Namespace}, VTEP {host.Vtep}, agent socket {host.AgentSocket}");

    Console.WriteLine("\nThrough REST: network n1 (vxlan 10.1.0.0/24), policy p1, groups web and db (db uses p1)");
    await lab.PostAsync("/api/v1/networks/default:n1/", """{"tenantName":"default","networkName":"n1","encap":"vxlan","subnet":"10.1.0.0/24","gateway":"10.1.0.1"}""");
    await lab.PostAsync("/api/v1/policys/default:p1/", """{"tenantName":"default","policyName":"p1"}""");
    await lab.PostAsync("/api/v1/endpointGroups/default:web/", """{"tenantName":"default","groupName":"web","networkName":"n1"}""");
    await lab.PostAsync("/api/v1/endpointGroups/default:db/", """{"tenantName":"default","groupName":"db","networkName":"n1","policies":["p1"]}""");

    Console.WriteLine("\nThrough each agent's local API: two containers per host");
    var containers = new List<(string Name, string Namespace, string Ip)>();
    foreach (var host in lab.Hosts)
    {
        foreach (var group in new[] { "web", "db" })
        {
            token.ThrowIfCancellationRequested();
            var ns = await lab.AddContainerAsync();
            var (status, body) = await host.CreateEndpointAsync(new { tenant = "default", network = "n1", group, containerId = $"{group}-{host.Name}", netns = ClusterLab.NetnsPath(ns) });
            if (status != 200) throw new InvalidOperationException($"attaching {group} on {host.Name}: {status} {body}");
            var ip = body.GetProperty("ip").GetString()!;
            containers.Add(($"{group}@{host.Name}", ns, ip));
            servers.Add(await TcpEchoServer.StartAsync(ns, 8080));
            Console.WriteLine($"  {group}@{host.Name}: {ip}/{body.GetProperty("prefixLength").GetInt32()} mac {body.GetProperty("mac").GetString()} port {body.GetProperty("hostInterface").GetString()}");
        }
    }
    // The first packets towards a new VTEP resolve the underlay next hop: warm the paths once.
    foreach (var from in containers)
    {
        foreach (var to in containers.Where(c => c != from))
        {
            token.ThrowIfCancellationRequested();
            await LabCommands.PingFrom(from.Namespace, to.Ip, count: 2);
        }
    }

    await PrintTableAsync("No rule yet: everything may talk", containers, token);

    Console.WriteLine("\nREST: rule p1:1 = deny incoming tcp/8080 (on db, the group p1 is attached to)");
    token.ThrowIfCancellationRequested();
    await lab.PostAsync("/api/v1/rules/default:p1:1/", """{"tenantName":"default","policyName":"p1","ruleId":"1","direction":"in","priority":10,"protocol":"tcp","port":8080,"action":"deny"}""");
    await WaitRealizedAsync(lab);
    await PrintTableAsync("With the deny: new tcp/8080 connections into db are refused, from either host; ping still passes", containers, token);

    Console.WriteLine("\nREST: rule p1:1 deleted");
    token.ThrowIfCancellationRequested();
    await lab.DeleteAsync("/api/v1/rules/default:p1:1/");
    await WaitRealizedAsync(lab);
    await PrintTableAsync("Without it again", containers, token);

    Console.WriteLine("\nDone; tearing the lab down.");
    return 0;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.WriteLine("\nInterrupted; tearing the lab down.");
    return 130;
}
finally
{
    foreach (var server in servers) server.Dispose();
    if (lab is not null) await lab.DisposeAsync();
}

static async Task PrintTableAsync(string title, List<(string Name, string Namespace, string Ip)> containers, CancellationToken token)
{
    Console.WriteLine($"\n{title}");
    Console.WriteLine($"  {"from",-8} {"to",-8} {"address",-10} {"ping",-8} tcp/8080");
    foreach (var from in containers)
    {
        foreach (var to in containers.Where(c => c != from))
        {
            token.ThrowIfCancellationRequested();
            var ping = await LabCommands.PingFrom(from.Namespace, to.Ip, count: 1, timeoutSeconds: 1);
            using var peer = await TcpPeer.ConnectAsync(from.Namespace, to.Ip, 8080);
            var tcp = peer is not null && await peer.EchoAsync("hello");
            Console.WriteLine($"  {from.Name,-8} {to.Name,-8} {to.Ip,-10} {(ping ? "ok" : "refused"),-8} {(tcp ? "ok" : "refused")}");
        }
    }
}

static async Task WaitRealizedAsync(ClusterLab lab)
{
    var deadline = DateTime.UtcNow.AddSeconds(20);
    while (DateTime.UtcNow < deadline)
    {
        var inspect = await lab.Rest.GetFromJsonAsync<JsonElement>("/api/v1/inspect/policys/default:p1/");
        if (inspect.GetProperty("Oper").TryGetProperty("realization", out var hosts) && hosts.EnumerateObject().All(h => h.Value.GetString() == "realized"))
        {
            Console.WriteLine($"  policy inspect: realized on {string.Join(", ", hosts.EnumerateObject().Select(h => h.Name))}");
            return;
        }
        await Task.Delay(100);
    }
    Console.WriteLine("  policy inspect: not realized on every host within 20 s");
}
