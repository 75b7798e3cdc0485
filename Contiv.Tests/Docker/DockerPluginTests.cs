using System.Globalization;
using System.Text.Json;
using Contiv.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.Docker;

/// <summary>
/// The managed plugin's program, contiv-docker-plugin, as docker/plugin/build.sh publishes it
/// (NativeAOT): run directly between a test client and a fake agent socket, and installed into a
/// private dockerd where `docker network create` reaches the fake agent through it.
/// </summary>
[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerPluginTests(ITestOutputHelper output)
{
    // Guards against a hang only; nothing here asserts how fast anything is.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Requests_on_one_keep_alive_connection_reach_the_agent_and_their_answers_come_back()
    {
        var dir = PluginBuild.NewDirectory("contiv-fwd-");
        await using var agent = FakeDockerAgent.Start(Path.Combine(dir, "agent", "docker.sock"), scope: "global");
        var pluginSocket = Path.Combine(dir, "plugins", "contiv.sock");
        await using var forwarder = await StartForwarderAsync(pluginSocket, agent.SocketPath);

        await using (var connection = await UnixHttpConnection.ConnectAsync(pluginSocket))
        {
            var first = await connection.PostAsync("/NetworkDriver.GetCapabilities", "{}").WaitAsync(Patience);
            Assert.NotNull(first);
            Assert.Equal("HTTP/1.1 200 OK", first.StartLine);
            Assert.Equal("{\"Scope\":\"global\"}", first.BodyText);

            // A body larger than the forwarder's buffer, on the same connection.
            var options = string.Join(',', Enumerable.Range(0, 4000).Select(i => $"\"option{i}\":\"{i}\""));
            var request = $"{{\"NetworkID\":\"n1\",\"Options\":{{{options}}}}}";
            var second = await connection.PostAsync("/NetworkDriver.CreateNetwork", request).WaitAsync(Patience);
            Assert.NotNull(second);
            Assert.Equal("HTTP/1.1 200 OK", second.StartLine);
            Assert.Equal("{}", second.BodyText);

            Assert.Equal(["/NetworkDriver.GetCapabilities", "/NetworkDriver.CreateNetwork"], agent.Paths);
            Assert.Equal(request, agent.Requests[1].Body);
            Assert.True(request.Length > 64 * 1024, $"{request.Length} bytes");
        }
        // One connection from the client, one to the agent: bytes were carried, not requests.
        Assert.Equal(1, agent.Connections);
        Assert.DoesNotContain("not reachable", forwarder.Output);
        PluginBuild.RemoveDirectory(dir);
    }

    [Fact]
    public async Task Without_the_agent_socket_a_request_gets_a_driver_error_naming_the_socket()
    {
        var dir = PluginBuild.NewDirectory("contiv-fwd-");
        var agentSocket = Path.Combine(dir, "agent", "docker.sock"); // nobody listens there
        var pluginSocket = Path.Combine(dir, "plugins", "contiv.sock");
        await using var forwarder = await StartForwarderAsync(pluginSocket, agentSocket);
        var logged = forwarder.WhenPrinted($"agent not reachable at {agentSocket}");

        await using (var connection = await UnixHttpConnection.ConnectAsync(pluginSocket))
        {
            var answer = await connection.PostAsync("/IpamDriver.RequestPool", "{\"AddressSpace\":\"l\",\"Pool\":\"10.99.0.0/24\"}").WaitAsync(Patience);
            Assert.NotNull(answer);
            Assert.Equal("HTTP/1.1 200 OK", answer.StartLine);
            Assert.Equal("application/vnd.docker.plugins.v1+json", answer.Header("Content-Type"));
            using var json = JsonDocument.Parse(answer.Body);
            var error = json.RootElement.GetProperty("Err").GetString();
            Assert.NotNull(error);
            Assert.Contains($"contiv agent not reachable at {agentSocket}", error);
            Assert.Contains("--docker-plugin-socket", error);
            // libnetwork reads a remote IPAM driver's error from "Error", a network driver's from "Err".
            Assert.Equal(error, json.RootElement.GetProperty("Error").GetString());
            // And the connection is closed after the answer.
            Assert.Null(await connection.ReadAsync().WaitAsync(Patience));
        }
        // One line on stderr for the failed connection.
        await logged.WaitAsync(Patience);

        // What dockerd asks when it enables the plugin is answered as the agent answers it, or dockerd
        // would not register the drivers and an agent started later would find the plugin dead.
        var agentsAnswers = new Dictionary<string, object>
        {
            ["/NetworkDriver.GetCapabilities"] = new Contiv.HostAgent.Docker.DockerDriver(
                new Contiv.HostAgent.Docker.DockerDriverContext("h", "global", null!, null!, null!, TimeSpan.Zero)).Capabilities(),
            ["/IpamDriver.GetCapabilities"] = Contiv.HostAgent.Docker.DockerDriver.IpamCapabilities(),
            ["/IpamDriver.GetDefaultAddressSpaces"] = Contiv.HostAgent.Docker.DockerDriver.DefaultAddressSpaces(),
        };
        foreach (var (path, expected) in agentsAnswers)
        {
            await using var connection = await UnixHttpConnection.ConnectAsync(pluginSocket);
            var answer = await connection.PostAsync(path, "{}").WaitAsync(Patience);
            Assert.NotNull(answer);
            Assert.Equal("HTTP/1.1 200 OK", answer.StartLine);
            Assert.Equal(JsonSerializer.Serialize(expected), answer.BodyText);
        }
        PluginBuild.RemoveDirectory(dir);
    }

    [Fact]
    public async Task SIGTERM_stops_it_with_exit_code_0_and_removes_its_socket()
    {
        var dir = PluginBuild.NewDirectory("contiv-fwd-");
        var pluginSocket = Path.Combine(dir, "plugins", "contiv.sock");
        var agentSocket = Path.Combine(dir, "agent.sock");
        // A forwarder killed hard leaves its socket file behind: the next one replaces it.
        var killed = await StartForwarderAsync(pluginSocket, agentSocket);
        await killed.KillHardAsync();
        await killed.DisposeAsync();
        Assert.True(File.Exists(pluginSocket), $"{pluginSocket} gone after SIGKILL");

        await using var forwarder = await StartForwarderAsync(pluginSocket, agentSocket);
        await using (var connection = await UnixHttpConnection.ConnectAsync(pluginSocket))
        {
            var answer = await connection.PostAsync("/NetworkDriver.CreateNetwork", "{}").WaitAsync(Patience);
            Assert.NotNull(answer);
            Assert.Contains("not reachable", answer.BodyText);
        }

        await LabCommands.Run("kill", "-TERM", forwarder.Pid.ToString(CultureInfo.InvariantCulture));
        await forwarder.WaitForExitAsync().WaitAsync(Patience);
        output.WriteLine(forwarder.Output);
        Assert.Equal(0, forwarder.ExitCode); // killed by a signal it would not be 0
        Assert.False(File.Exists(pluginSocket), $"{pluginSocket} still there");
        Assert.Contains("stopped", forwarder.Output);
        PluginBuild.RemoveDirectory(dir);
    }

    [Fact]
    public async Task Installed_into_dockerd_by_build_sh_it_carries_network_create_to_the_agent()
    {
        var agentDir = PluginBuild.NewDirectory("contiv-agent-");
        await using var agent = FakeDockerAgent.Start(Path.Combine(agentDir, "docker.sock"), scope: "local");
        var docker = await DockerSandbox.StartAsync();
        var sandboxDir = docker.Directory;
        var daemonPid = docker.DaemonPid;
        var name = "contiv-test-" + Guid.NewGuid().ToString("N")[..8];
        string pluginId;
        await using (docker)
        {
            var (built, buildOutput) = await PluginBuild.RunAsync("--host", "unix://" + docker.Socket, "--name", name, "--agent-dir", agentDir);
            output.WriteLine(buildOutput);
            Assert.True(built == 0, buildOutput);

            var (inspected, enabled) = await docker.Docker("plugin", "inspect", "-f", "{{.Enabled}} {{.Id}}", name);
            Assert.True(inspected == 0, enabled);
            var fields = enabled.Trim().Split(' ');
            Assert.Equal("true", fields[0]);
            pluginId = fields[1];
            // dockerd keeps a managed plugin's socket directory host-wide, whatever its exec root.
            Assert.True(File.Exists($"/run/docker/plugins/{pluginId}/contiv.sock"), $"/run/docker/plugins/{pluginId}/contiv.sock");

            var network = "x" + Guid.NewGuid().ToString("N")[..8];
            var (created, createOutput) = await docker.Docker("network", "create", "-d", name + ":latest", "--ipam-driver", name + ":latest", "--subnet", "10.99.0.0/24", network);
            output.WriteLine(string.Join('\n', agent.Paths));
            Assert.True(created == 0, createOutput);
            Assert.Contains("/IpamDriver.RequestPool", agent.Paths);
            Assert.Contains("/NetworkDriver.CreateNetwork", agent.Paths);
            var pool = agent.Requests.First(r => r.Path == "/IpamDriver.RequestPool");
            Assert.Contains("10.99.0.0/24", pool.Body);

            var (removed, removeOutput) = await docker.Docker("network", "rm", network);
            Assert.True(removed == 0, removeOutput);
            Assert.Contains("/NetworkDriver.DeleteNetwork", agent.Paths);

            // The agent gone, the next call gets the plugin's error, which dockerd passes on: IPAM's
            // RequestPool comes first, and libnetwork reads an IPAM error from "Error", not "Err".
            await agent.DisposeAsync();
            var (refused, refusal) = await docker.Docker("network", "create", "-d", name + ":latest", "--ipam-driver", name + ":latest", "--subnet", "10.99.0.0/24", network);
            Assert.True(refused != 0, refusal);
            Assert.Contains("contiv agent not reachable at /run/contiv/docker.sock", refusal);

            var (disabled, disableOutput) = await docker.Docker("plugin", "disable", name);
            Assert.True(disabled == 0, disableOutput);
            var (deleted, deleteOutput) = await docker.Docker("plugin", "rm", name);
            Assert.True(deleted == 0, deleteOutput);
            var (listed, plugins) = await docker.Docker("plugin", "ls", "-q");
            Assert.True(listed == 0, plugins);
            Assert.Equal("", plugins.Trim());
            Assert.False(Directory.Exists($"/run/docker/plugins/{pluginId}"), $"/run/docker/plugins/{pluginId} still there");
        }
        Assert.False(Directory.Exists($"/proc/{daemonPid}"), $"dockerd {daemonPid} still running");
        Assert.False(Directory.Exists(sandboxDir), $"{sandboxDir} still there");
        Assert.Empty(LabMounts.Under(sandboxDir));
        PluginBuild.RemoveDirectory(agentDir);
    }

    private static async Task<LabProcess> StartForwarderAsync(string pluginSocket, string agentSocket)
    {
        var binary = await PluginBuild.BinaryAsync();
        // env execs the binary: the PID the test signals is the forwarder's own.
        return await LabProcess.StartAsync("contiv-docker-plugin",
            ["/usr/bin/env", $"CONTIV_PLUGIN_SOCKET={pluginSocket}", $"CONTIV_AGENT_SOCKET={agentSocket}", binary],
            $"listening on {pluginSocket}", Patience);
    }
}
