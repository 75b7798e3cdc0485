using System.Diagnostics;
using System.Text.RegularExpressions;
using Contiv.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.Docker;

[Trait("Category", "Docker")]
[Collection(DockerCollection.Name)]
public sealed class DockerSandboxTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_private_dockerd_runs_busybox_containers_and_cleans_up()
    {
        var watch = Stopwatch.StartNew();
        var docker = await DockerSandbox.StartAsync();
        output.WriteLine($"dockerd answered after {watch.ElapsedMilliseconds} ms (pid {docker.DaemonPid}, {docker.Socket})");
        var dir = docker.Directory;
        var daemonPid = docker.DaemonPid;
        await using (docker)
        {
            watch.Restart();
            var image = await docker.BusyboxImageAsync();
            output.WriteLine($"busybox imported as {image} in {watch.ElapsedMilliseconds} ms");

            var (code, text) = await docker.Docker("run", "--rm", "--network", "none", image, "sh", "-c", "echo hello; ip link");
            Assert.True(code == 0, text);
            Assert.Contains("hello", text);
            // `ip link` numbers each interface ("1: lo: <LOOPBACK,...>"): with --network none, lo is the only one.
            var interfaces = Regex.Matches(text, @"^\d+: ([^:@]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(["lo"], interfaces);

            var (started, id) = await docker.Docker("run", "-d", "--network", "none", image, "sleep", "300");
            Assert.True(started == 0, id);
            id = id.Trim();
            var (inspected, pidText) = await docker.Docker("inspect", "-f", "{{.State.Pid}}", id);
            Assert.True(inspected == 0, pidText);
            var containerPid = int.Parse(pidText.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(containerPid > 0, pidText);
            Assert.True(File.Exists($"/proc/{containerPid}/ns/net"), $"/proc/{containerPid}/ns/net");

            var (removed, removal) = await docker.Docker("rm", "-f", id);
            Assert.True(removed == 0, removal);
            var (listed, remaining) = await docker.Docker("ps", "-aq");
            Assert.True(listed == 0, remaining);
            Assert.Equal("", remaining.Trim());
            watch.Restart();
        }
        output.WriteLine($"stopped and cleaned up in {watch.ElapsedMilliseconds} ms");
        Assert.False(Directory.Exists($"/proc/{daemonPid}"), $"dockerd {daemonPid} still running");
        Assert.False(Directory.Exists(dir), $"{dir} still there");
        Assert.Empty(LabMounts.Under(dir));
    }

    /// <summary>
    /// A dockerd that is killed (SIGKILL: a crashed daemon, or one that would not stop in time) leaves its
    /// containerd's shims and their containers running; the sandbox's cleanup must end them too.
    /// </summary>
    [Fact]
    public async Task A_killed_dockerd_leaves_no_containerd_shim_or_container_behind()
    {
        var docker = await DockerSandbox.StartAsync();
        var dir = docker.Directory;
        int containerPid;
        List<int> shims;
        await using (docker)
        {
            var image = await docker.BusyboxImageAsync();
            var (started, id) = await docker.Docker("run", "-d", "--network", "none", image, "sleep", "300");
            Assert.True(started == 0, id);
            var (inspected, pidText) = await docker.Docker("inspect", "-f", "{{.State.Pid}}", id.Trim());
            Assert.True(inspected == 0, pidText);
            containerPid = int.Parse(pidText.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            shims = ContainerdLeftovers.ShimsUnder(dir).ToList();
            output.WriteLine($"container {containerPid}, shims {string.Join(", ", shims)}");
            Assert.NotEmpty(shims);

            // Our own dockerd, by its PID.
            await LabCommands.Run("kill", "-KILL", docker.DaemonPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.False(OvsSandbox.IsAlive(containerPid), $"the container's process {containerPid} still runs");
        Assert.All(shims, shim => Assert.False(OvsSandbox.IsAlive(shim), $"shim {shim} still runs"));
        Assert.Empty(ContainerdLeftovers.ShimsUnder(dir));
        Assert.False(Directory.Exists(dir), $"{dir} still there");
    }
}
