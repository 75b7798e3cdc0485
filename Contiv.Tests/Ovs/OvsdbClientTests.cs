using Contiv.Lab;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Contiv.Dataplane.Ovs.Ovsdb;
using Xunit;

namespace Contiv.Tests.Ovs;

[Trait(OvsTraits.Category, OvsTraits.Ovs)]
public sealed class OvsdbClientTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task<(IsolatedOvs Ovs, OvsdbClient Client, OvsBridgeManager Bridges)> Start()
    {
        var ovs = await IsolatedOvs.StartAsync();
        try
        {
            var client = await OvsdbClient.ConnectAsync(ovs.DbTarget);
            return (ovs, client, new OvsBridgeManager(client));
        }
        catch
        {
            await ovs.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A sandbox in a network namespace of its own. The userspace datapath opens a tap device named
    /// "ovs-netdev" in its namespace; a second ovs-vswitchd in the same namespace (another test run on
    /// this machine) cannot, and all its bridges fail ("failed to create bridge: No such device").
    /// OVSDB and the bridges' management sockets are unix sockets, reachable from here all the same.
    /// </summary>
    private sealed class IsolatedOvs : IAsyncDisposable
    {
        private readonly string _namespace;
        public OvsSandbox Sandbox { get; }
        private IsolatedOvs(string ns, OvsSandbox sandbox) { _namespace = ns; Sandbox = sandbox; }

        public static async Task<IsolatedOvs> StartAsync()
        {
            var ns = "ovsdbt-" + Guid.NewGuid().ToString("N")[..8];
            await Ip("netns", "add", ns);
            try
            {
                await Ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
                return new IsolatedOvs(ns, await OvsSandbox.StartAsync(ns));
            }
            catch
            {
                await Ip("netns", "del", ns);
                throw;
            }
        }

        public string Directory => Sandbox.Directory;
        public string DbTarget => Sandbox.DbTarget;
        public Task<string> Vsctl(params string[] args) => Sandbox.Vsctl(args);
        public Task<string> Ofctl(params string[] args) => Sandbox.Ofctl(args);

        public async ValueTask DisposeAsync()
        {
            try
            {
                // Stop the daemons here first, watching /proc: they are not our children, so a
                // Process.WaitForExit on them cannot see them go and would sit out its whole timeout.
                // A daemon that exited is a zombie until PID 1 reaps it, here about 2 s later: dead all the same.
                foreach (var daemon in new[] { "ovs-vswitchd", "ovsdb-server" })
                {
                    var pidFile = Path.Combine(Directory, daemon + ".pid");
                    if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) continue;
                    try { await Sandbox.Tool("ovs-appctl", "-t", Path.Combine(Directory, daemon + ".ctl"), "exit"); }
                    catch (InvalidOperationException) { /* killed below */ }
                    var deadline = DateTime.UtcNow.AddSeconds(3);
                    while (OvsSandbox.IsAlive(pid) && DateTime.UtcNow < deadline) await Task.Delay(10);
                    if (OvsSandbox.IsAlive(pid))
                    {
                        try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
                    }
                }
                await Sandbox.DisposeAsync(); // removes the directory; nothing left to stop
            }
            finally { await Ip("netns", "del", _namespace); }
        }

        private static Task Ip(params string[] args) => NetnsEndpoint.Run(["ip", .. args]);
    }

    private static OvsBridgeSpec Br(string name, params string[] controllers) => new(name, "netdev", controllers);

    private static async Task<string> Get(IsolatedOvs ovs, string table, string record, string column) =>
        (await ovs.Vsctl("get", table, record, column)).Trim();

    [Fact]
    public async Task List_dbs_names_Open_vSwitch()
    {
        var (ovs, client, _) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        Assert.Contains("Open_vSwitch", await client.ListDbsAsync());
        await client.EchoAsync();
    }

    [Fact]
    public async Task EnsureBridge_creates_a_netdev_OpenFlow13_secure_bridge_with_its_controller_and_repeats_as_a_no_op()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        var port = LocalPorts.FreeTcpPort();
        var created = await bridges.EnsureBridgeAsync(Br("br-int", $"ptcp:{port}:127.0.0.1"));
        Assert.True(created.Changed);

        Assert.Equal("netdev", await Get(ovs, "bridge", "br-int", "datapath_type"));
        Assert.Equal("[OpenFlow13]", await Get(ovs, "bridge", "br-int", "protocols"));
        Assert.Equal("secure", await Get(ovs, "bridge", "br-int", "fail_mode"));
        Assert.Equal($"ptcp:{port}:127.0.0.1", (await ovs.Vsctl("get-controller", "br-int")).Trim());
        Assert.Equal(created.Uuid.ToString(), await Get(ovs, "bridge", "br-int", "_uuid"));

        // vswitchd really made it: the bridge's local port and an OpenFlow 1.3 management socket.
        await bridges.WaitForVswitchdAsync();
        Assert.Equal(65534, await bridges.GetOfPortAsync("br-int"));
        Assert.Contains("OFPST_FLOW reply", await ovs.Ofctl("dump-flows", "br-int"));

        var again = await bridges.EnsureBridgeAsync(Br("br-int", $"ptcp:{port}:127.0.0.1"));
        Assert.Equal(created, again with { Changed = true });
        Assert.False(again.Changed);
        Assert.Equal("1", (await ovs.Vsctl("--columns=_uuid", "--bare", "list", "controller")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ToString());

        var info = await bridges.GetBridgeAsync("br-int");
        Assert.NotNull(info);
        Assert.Equal(["OpenFlow13"], info.Protocols);
        Assert.Equal([$"ptcp:{port}:127.0.0.1"], info.Controllers);
        Assert.Null(await bridges.GetBridgeAsync("nope"));
    }

    [Fact]
    public async Task EnsureBridge_with_changed_arguments_updates_in_place()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        var mgmt = Path.Combine(ovs.Directory, "br-int.ctl.sock");
        var first = await bridges.EnsureBridgeAsync(Br("br-int", "ptcp:6653:127.0.0.1"));
        var changed = await bridges.EnsureBridgeAsync(new OvsBridgeSpec("br-int", "netdev", [$"punix:{mgmt}"],
            Protocols: ["OpenFlow10", "OpenFlow13"], FailMode: "standalone", ExternalIds: new Dictionary<string, string> { ["owner"] = "contiv" }));
        Assert.True(changed.Changed);
        Assert.Equal(first.Uuid, changed.Uuid);
        Assert.Equal($"punix:{mgmt}", (await ovs.Vsctl("get-controller", "br-int")).Trim());
        Assert.Equal("[OpenFlow10, OpenFlow13]", await Get(ovs, "bridge", "br-int", "protocols"));
        Assert.Equal("standalone", await Get(ovs, "bridge", "br-int", "fail_mode"));
        Assert.Equal("contiv", await Get(ovs, "bridge", "br-int", "external_ids:owner"));
        // the old controller row is gone with its last reference
        Assert.Single((await ovs.Vsctl("--columns=target", "--bare", "list", "controller")).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(await bridges.DeleteBridgeAsync("br-int"));
        Assert.False(await bridges.DeleteBridgeAsync("br-int"));
        Assert.Equal("", (await ovs.Vsctl("list-br")).Trim());
    }

    [Fact]
    public async Task Internal_port_gets_the_requested_ofport_and_ensuring_it_again_changes_nothing()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        await bridges.EnsureBridgeAsync(Br("br0"));
        var port = await bridges.EnsurePortAsync("br0", OvsPortSpec.Internal("int0", ofPortRequest: 10));
        Assert.True(port.Changed);
        Assert.Equal(10, await bridges.GetOfPortAsync("int0"));
        Assert.Equal("internal", await Get(ovs, "interface", "int0", "type"));
        Assert.Equal("10", await Get(ovs, "interface", "int0", "ofport"));
        Assert.Contains("int0", await ovs.Vsctl("list-ports", "br0"));

        var again = await bridges.EnsurePortAsync("br0", OvsPortSpec.Internal("int0", ofPortRequest: 10));
        Assert.False(again.Changed);
        Assert.Equal(port.Uuid, again.Uuid);

        // another bridge may not take it over; an unknown bridge is an error
        await bridges.EnsureBridgeAsync(Br("br1"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridges.EnsurePortAsync("br1", OvsPortSpec.Internal("int0")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridges.EnsurePortAsync("nobr", OvsPortSpec.Internal("x")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bridges.GetOfPortAsync("no-such-interface", TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Vxlan_port_with_flow_key_and_remote_ip_then_a_fixed_remote_in_place()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        await bridges.EnsureBridgeAsync(Br("br0"));
        var vx = await bridges.EnsurePortAsync("br0", OvsPortSpec.Vxlan("vxlan0", ofPortRequest: 100));
        Assert.Equal("vxlan", await Get(ovs, "interface", "vxlan0", "type"));
        Assert.Equal("flow", await Get(ovs, "interface", "vxlan0", "options:key"));
        Assert.Equal("flow", await Get(ovs, "interface", "vxlan0", "options:remote_ip"));
        Assert.Equal(100, await bridges.GetOfPortAsync("vxlan0"));

        var fixedRemote = await bridges.EnsurePortAsync("br0", OvsPortSpec.Vxlan("vxlan0", remoteIp: "198.51.100.2", localIp: "198.51.100.1", ofPortRequest: 100));
        Assert.True(fixedRemote.Changed);
        Assert.Equal(vx.Uuid, fixedRemote.Uuid);
        Assert.Equal("{key=flow, local_ip=\"198.51.100.1\", remote_ip=\"198.51.100.2\"}", await Get(ovs, "interface", "vxlan0", "options"));
        Assert.False((await bridges.EnsurePortAsync("br0", OvsPortSpec.Vxlan("vxlan0", remoteIp: "198.51.100.2", localIp: "198.51.100.1", ofPortRequest: 100))).Changed);
    }

    [Fact]
    public async Task External_ids_round_trip_and_ports_are_listed()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        await bridges.EnsureBridgeAsync(Br("br0"));
        var ids = new Dictionary<string, string> { ["endpoint-id"] = "t1/web-1", ["attached-mac"] = "02:00:0a:01:00:05" };
        await bridges.EnsurePortAsync("br0", OvsPortSpec.Internal("ep1", 5, ids));
        await bridges.EnsurePortAsync("br0", OvsPortSpec.Vxlan("vxlan0"));
        Assert.Equal("\"t1/web-1\"", await Get(ovs, "interface", "ep1", "external_ids:endpoint-id"));
        await bridges.WaitForVswitchdAsync();

        var ports = await bridges.ListPortsAsync("br0");
        Assert.Equal(["ep1", "vxlan0"], ports.Select(p => p.Name));
        var ep1 = ports[0];
        Assert.Equal(ids, ep1.ExternalIds);
        Assert.Equal("internal", ep1.Type);
        Assert.Equal(5, ep1.OfPort);
        Assert.Equal(5, ep1.OfPortRequest);
        Assert.Equal("flow", ports[1].Options["remote_ip"]);
        Assert.Contains(await bridges.ListPortsAsync("br0", includeLocal: true), p => p.Name == "br0");

        // changed external ids replace the old ones in place; ovs-vsctl's own writes read back too
        var changed = await bridges.EnsurePortAsync("br0", OvsPortSpec.Internal("ep1", 5, new Dictionary<string, string> { ["endpoint-id"] = "t1/web-2" }));
        Assert.True(changed.Changed);
        await ovs.Vsctl("set", "interface", "vxlan0", "external_ids:role=tunnel");
        ports = await bridges.ListPortsAsync("br0");
        Assert.Equal(new Dictionary<string, string> { ["endpoint-id"] = "t1/web-2" }, ports[0].ExternalIds);
        Assert.Equal("tunnel", ports[1].ExternalIds["role"]);
    }

    [Fact]
    public async Task RemovePort_is_idempotent()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        await bridges.EnsureBridgeAsync(Br("br0"));
        await bridges.EnsurePortAsync("br0", OvsPortSpec.Internal("p1"));
        await bridges.EnsurePortAsync("br0", OvsPortSpec.Internal("p2"));
        Assert.True(await bridges.RemovePortAsync("br0", "p1"));
        Assert.False(await bridges.RemovePortAsync("br0", "p1"));
        Assert.Equal("p2", (await ovs.Vsctl("list-ports", "br0")).Trim());
        Assert.Equal("", (await ovs.Vsctl("--columns=name", "--bare", "find", "interface", "name=p1")).Trim());
        Assert.False(await bridges.RemovePortAsync("br0", "never-was"));
    }

    [Fact]
    public async Task A_failing_operation_is_named_with_the_servers_error_and_nothing_is_committed()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        var e = await Assert.ThrowsAsync<OvsdbException>(() => client.TransactAsync("Open_vSwitch", [
            OvsdbOp.Insert("Bridge", new JsonObject { ["name"] = "brX" }, "b"),
            OvsdbOp.Insert("NoSuchTable", new JsonObject { ["name"] = "x" }),
        ]));
        Assert.Equal(1, e.OperationIndex);
        Assert.Equal("insert NoSuchTable", e.Operation);
        Assert.NotNull(e.Error);
        Assert.Contains("NoSuchTable", e.Message);
        Assert.Contains(e.Error, e.Message);
        Assert.Null(await bridges.GetBridgeAsync("brX"));

        // a commit-time failure (a Port with no interface breaks the schema's min 1) names the commit
        var commit = await Assert.ThrowsAsync<OvsdbException>(() => client.TransactAsync("Open_vSwitch", [
            OvsdbOp.Insert("Port", new JsonObject { ["name"] = "lonely" }, "p"),
            OvsdbOp.Insert("Bridge", new JsonObject { ["name"] = "brY", ["ports"] = OvsdbValue.Set([OvsdbValue.NamedUuid("p")]) }, "b"),
            OvsdbOp.Mutate("Open_vSwitch", [], OvsdbMutation.Insert("bridges", OvsdbValue.Set([OvsdbValue.NamedUuid("b")]))),
        ]));
        Assert.Equal(3, commit.OperationIndex);
        Assert.Equal("commit", commit.Operation);
        Assert.False(string.IsNullOrEmpty(commit.Error));
        Assert.Contains(commit.Error, commit.Message);

        var rpc = await Assert.ThrowsAsync<OvsdbException>(() => client.TransactAsync("NoSuchDb", [OvsdbOp.Comment("x")]));
        Assert.Contains("unknown database", rpc.Message);
        Assert.Contains("Open_vSwitch", await client.ListDbsAsync()); // the connection is fine afterwards
    }

    [Fact]
    public async Task Concurrent_ensures_from_several_clients_converge_on_one_bridge_and_one_port()
    {
        var (ovs, client, _) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OvsdbClient.ConnectAsync(ovs.DbTarget)));
        try
        {
            var managers = clients.Select(c => new OvsBridgeManager(c)).ToArray();
            var bridges = await Task.WhenAll(managers.Select(m => m.EnsureBridgeAsync(Br("br0", "ptcp:6653:127.0.0.1"))));
            Assert.Single(bridges.Select(b => b.Uuid).Distinct());
            Assert.Single(bridges, b => b.Changed);
            var ports = await Task.WhenAll(managers.Select(m => m.EnsurePortAsync("br0", OvsPortSpec.Internal("p1", 7))));
            Assert.Single(ports.Select(p => p.Uuid).Distinct());
            Assert.Equal("br0", (await ovs.Vsctl("list-br")).Trim());
            Assert.Equal("p1", (await ovs.Vsctl("list-ports", "br0")).Trim());
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Monitor_delivers_the_initial_rows_and_an_update_naming_a_new_port()
    {
        var (ovs, client, bridges) = await Start();
        await using var _1 = ovs;
        await using var _2 = client;
        await bridges.EnsureBridgeAsync(Br("br0"));
        var monitor = await client.MonitorAsync("Open_vSwitch", "Interface", ["name", "ofport"]);
        Assert.Contains(monitor.Initial, u => u.New?["name"]?.ToString() == "br0");

        await ovs.Vsctl("add-port", "br0", "mon1", "--", "set", "interface", "mon1", "type=internal");
        using var cts = new CancellationTokenSource(Bound);
        OvsdbRowUpdate? inserted = null;
        var ofport = (long?)null;
        while (ofport is null)
        {
            foreach (var u in await monitor.Updates.ReadAsync(cts.Token))
            {
                if (u.New?["name"]?.ToString() != "mon1") continue;
                inserted ??= u;
                ofport = OvsdbValue.ReadOptionalInteger(u.New["ofport"]);
            }
        }
        Assert.True(inserted!.IsInsert);
        Assert.True(ofport > 0); // vswitchd's later write of ofport arrives as a modify

        await monitor.CancelAsync();
        await monitor.Updates.Completion.WaitAsync(Bound);
        Assert.Contains("Open_vSwitch", await client.ListDbsAsync());
    }

    // ---------------- a scripted server: framing, echo, garbage ----------------

    private static async Task<(OvsdbClient Client, Socket Server, TcpListener Listener)> ScriptedServer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptSocketAsync();
        var client = await OvsdbClient.ConnectAsync($"tcp:127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}",
            new OvsdbClientOptions { RequestTimeout = TimeSpan.FromSeconds(5), MaxMessageBytes = 64 * 1024 });
        return (client, await accept, listener);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Socket, OvsdbFramer> Framers = new();

    private static async Task<JsonObject> ReceiveRequest(Socket server)
    {
        var framer = Framers.GetValue(server, _ => new OvsdbFramer(1 << 20));
        if (framer.TryRead(out var buffered)) return (JsonObject)JsonNode.Parse(buffered.Span)!;
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var n = await server.ReceiveAsync(framer.GetWriteBuffer(), cts.Token);
            Assert.NotEqual(0, n);
            framer.Commit(n);
            if (framer.TryRead(out var text)) return (JsonObject)JsonNode.Parse(text.Span)!;
        }
    }

    private static Task Send(Socket server, string text) => server.SendAsync(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Echo_requests_are_answered_and_replies_split_or_batched_are_matched_by_id()
    {
        var (client, server, listener) = await ScriptedServer();
        using var _l = new Disposer(listener.Stop);
        using var _s = server;
        await using var _c = client;

        await Send(server, """{"method":"echo","params":["x",1],"id":"echo-7"}""");
        var echo = await ReceiveRequest(server);
        Assert.Equal("echo-7", echo["id"]!.ToString());
        Assert.Equal("""["x",1]""", echo["result"]!.ToJsonString());

        var first = client.ListDbsAsync();
        var second = client.ListDbsAsync();
        var ids = new[] { (await ReceiveRequest(server))["id"]!.ToJsonString(), (await ReceiveRequest(server))["id"]!.ToJsonString() };
        // second reply first, the pair in one write, split across writes byte by byte at the end
        var text = $$"""{"id":{{ids[1]}},"result":["B"],"error":null} {"id":{{ids[0]}},"error":null,"result":["A \"}]{["]}""" + "\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        await server.SendAsync(bytes.AsMemory(0, bytes.Length - 10));
        foreach (var b in bytes[^10..]) await server.SendAsync(new[] { b });
        Assert.Equal(["A \"}]{["], await first.WaitAsync(Bound));
        Assert.Equal(["B"], await second.WaitAsync(Bound));
    }

    [Theory]
    [InlineData("this is not json at all")]
    [InlineData("""{"id":1,"result":[}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"no":"id or method"}""")]
    [InlineData("""{"id":1,"result":["Open_vSw""")] // truncated, then closed
    public async Task Garbage_or_a_truncated_message_fails_requests_and_closes_without_hanging(string garbage)
    {
        var (client, server, listener) = await ScriptedServer();
        using var _l = new Disposer(listener.Stop);
        await using var _c = client;
        var request = client.ListDbsAsync();
        await ReceiveRequest(server);
        await Send(server, garbage);
        server.Shutdown(SocketShutdown.Both);
        server.Dispose();

        var e = await Assert.ThrowsAsync<OvsdbProtocolException>(() => request.WaitAsync(Bound));
        Assert.Contains("127.0.0.1", e.Message);
        await Assert.ThrowsAsync<OvsdbProtocolException>(() => client.Completion.WaitAsync(Bound));
        // later requests fail at once instead of waiting
        await Assert.ThrowsAsync<OvsdbProtocolException>(() => client.ListDbsAsync().WaitAsync(Bound));
    }

    [Fact]
    public async Task An_endless_message_is_refused_at_the_size_bound()
    {
        var (client, server, listener) = await ScriptedServer();
        using var _l = new Disposer(listener.Stop);
        using var _s = server;
        await using var _c = client;
        var request = client.ListDbsAsync();
        await ReceiveRequest(server);
        await Send(server, """{"id":1,"result":[" """ + new string('x', 100 * 1024));
        var e = await Assert.ThrowsAsync<OvsdbProtocolException>(() => request.WaitAsync(Bound));
        Assert.Contains("exceeds", e.Message);
    }

    [Fact]
    public async Task Monitors_fail_when_the_connection_drops()
    {
        var (client, server, listener) = await ScriptedServer();
        using var _l = new Disposer(listener.Stop);
        await using var _c = client;
        var monitorTask = client.MonitorAsync("Open_vSwitch", "Interface", ["name"]);
        var request = await ReceiveRequest(server);
        Assert.Equal("monitor", request["method"]!.ToString());
        var monitorId = request["params"]![1]!.ToJsonString();
        await Send(server, "{\"id\":" + request["id"]!.ToJsonString() + ""","error":null,"result":{"Interface":{"2b6e8c1a-5e7e-4f36-9a59-2f3c4d5e6f70":{"new":{"name":"a"}}}}}""");
        var monitor = await monitorTask.WaitAsync(Bound);
        Assert.Equal("a", Assert.Single(monitor.Initial).New!["name"]!.ToString());

        await Send(server, """{"method":"update","params":[""" + monitorId + """,{"Interface":{"2b6e8c1a-5e7e-4f36-9a59-2f3c4d5e6f70":{"old":{"name":"a"},"new":{"name":"b"}}}}],"id":null}""");
        var update = Assert.Single(await monitor.Updates.ReadAsync().AsTask().WaitAsync(Bound));
        Assert.Equal("b", update.New!["name"]!.ToString());
        Assert.False(update.IsInsert);

        server.Dispose();
        await Assert.ThrowsAsync<OvsdbProtocolException>(() => monitor.Updates.Completion.WaitAsync(Bound));
    }

    [Fact]
    public void The_framer_splits_back_to_back_objects_and_ignores_braces_in_strings()
    {
        var framer = new OvsdbFramer(1024);
        var text = Encoding.UTF8.GetBytes("  {\"a\":\"}{\\\"\",\"b\":[{}]}\n{\"c\":1}{\"d\"");
        text.CopyTo(framer.GetWriteBuffer());
        framer.Commit(text.Length);
        Assert.True(framer.TryRead(out var first));
        Assert.Equal("{\"a\":\"}{\\\"\",\"b\":[{}]}", Encoding.UTF8.GetString(first.Span));
        Assert.True(framer.TryRead(out var second));
        Assert.Equal("{\"c\":1}", Encoding.UTF8.GetString(second.Span));
        Assert.False(framer.TryRead(out _));
        Assert.True(framer.HasPartialMessage);
    }

    [Fact]
    public async Task Connecting_to_nothing_is_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<OvsdbProtocolException>(() => OvsdbClient.ConnectAsync("unix:/nonexistent/db.sock"));
        Assert.Contains("/nonexistent/db.sock", e.Message);
        Assert.Throws<ArgumentException>(() => OvsdbClient.ParseTarget("ssl:1.2.3.4:6640"));
    }

    private sealed class Disposer(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
