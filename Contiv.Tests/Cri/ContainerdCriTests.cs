using System.Diagnostics;
using System.Net;
using Contiv.Lab;
using Contiv.Lab.Cri.V1;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.Cri;

/// <summary>
/// A real Kubernetes runtime (containerd 1.6's CRI plugin) driven the way the kubelet drives it, with Debian's
/// reference CNI plugins: what a CNI plugin of ours will be run under.
/// </summary>
[Trait("Category", "Netns")]
[Trait("Category", "Cri")]
[Collection(CriCollection.Name)]
public sealed class ContainerdCriTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Containerd_serves_cri_v1()
    {
        await using var lab = await CriLab.StartAsync();
        var version = await lab.Cri.VersionAsync();
        output.WriteLine($"{version.RuntimeName} {version.RuntimeVersion}, CRI {version.RuntimeApiVersion}");
        Assert.Equal("containerd", version.RuntimeName);
        Assert.Equal("v1", version.RuntimeApiVersion);
        Assert.NotNull(await lab.Cri.ImageIdAsync(ContainerdSandbox.SandboxImage));
        Assert.Null(await lab.Cri.ImageIdAsync("docker.io/library/not-imported:1"));
    }

    [Fact]
    public async Task Two_pods_get_host_local_addresses_reach_each_other_and_give_them_back()
    {
        await using var lab = await CriLab.StartAsync();
        var subnet = IPNetwork.Parse(CriLab.Subnet);

        var first = await lab.Cri.RunPodSandboxAsync(lab.Pod("alpha"));
        var second = await lab.Cri.RunPodSandboxAsync(lab.Pod("beta"));
        var a = await lab.Cri.PodSandboxStatusAsync(first);
        var b = await lab.Cri.PodSandboxStatusAsync(second);
        Assert.NotNull(a);
        Assert.NotNull(b);
        output.WriteLine($"alpha {a.Id[..12]} {a.Ip} netns {a.NetnsPath} pid {a.Pid}");
        output.WriteLine($"beta  {b.Id[..12]} {b.Ip} netns {b.NetnsPath} pid {b.Pid}");
        Assert.Equal(PodSandboxState.SandboxReady, a.State);
        Assert.Equal(PodSandboxState.SandboxReady, b.State);
        Assert.True(subnet.Contains(IPAddress.Parse(a.Ip)), a.Ip);
        Assert.True(subnet.Contains(IPAddress.Parse(b.Ip)), b.Ip);
        Assert.NotEqual(a.Ip, b.Ip);
        Assert.Equal([a.Ip, b.Ip], lab.HeldAddresses().Order(), StringComparer.Ordinal);

        // Each pod's netns (where containerd says it is, under its state directory) has the address on eth0, and
        // is the namespace of the sandbox's process.
        foreach (var pod in new[] { a, b })
        {
            Assert.NotNull(pod.NetnsPath);
            Assert.StartsWith(lab.Containerd.PodNetnsDirectory + "/", pod.NetnsPath);
            var (code, addresses) = await CriLab.InNetns(pod.NetnsPath, "ip", "-4", "-o", "addr", "show", "dev", "eth0");
            Assert.True(code == 0, addresses);
            Assert.Contains($" {pod.Ip}/24 ", addresses);
            Assert.Equal(Inode(pod.NetnsPath), Inode($"/proc/{pod.Pid}/ns/net"));
        }

        // Pod to pod over the bridge in the lab's namespace, both ways.
        var (pingAb, textAb) = await CriLab.InNetns(a.NetnsPath!, "ping", "-c", "1", "-W", "2", b.Ip);
        Assert.True(pingAb == 0, textAb);
        var (pingBa, textBa) = await CriLab.InNetns(b.NetnsPath!, "ping", "-c", "1", "-W", "2", a.Ip);
        Assert.True(pingBa == 0, textBa);

        foreach (var id in new[] { first, second })
        {
            await lab.Cri.StopPodSandboxAsync(id);
            await lab.Cri.RemovePodSandboxAsync(id);
            Assert.Null(await lab.Cri.PodSandboxStatusAsync(id));
        }
        Assert.Empty(lab.HeldAddresses());
        Assert.Empty(await lab.Cri.ListPodSandboxesAsync());
        Assert.False(File.Exists(a.NetnsPath), a.NetnsPath);
        Assert.False(File.Exists(b.NetnsPath), b.NetnsPath);
        Assert.False(Directory.Exists($"/proc/{a.Pid}"), $"sandbox process {a.Pid} still there");
        Assert.False(Directory.Exists($"/proc/{b.Pid}"), $"sandbox process {b.Pid} still there");
        await WaitForNoShims(lab.Containerd);
    }

    [Fact]
    public async Task Dispose_leaves_no_containerd_shim_pod_process_mount_or_directory()
    {
        var lab = await CriLab.StartAsync();
        var containerd = lab.Containerd;
        try
        {
            // A pod left running, as by a test that fails half-way.
            var pod = await lab.Cri.PodSandboxStatusAsync(await lab.Cri.RunPodSandboxAsync(lab.Pod("left")));
            Assert.NotNull(pod);
            Assert.NotEmpty(containerd.ShimPids());
            Assert.NotEmpty(LabMounts.Under(containerd.Directory));
            Assert.NotEmpty(Cgroups(containerd.Directory));
            var (dir, pid, shims) = (containerd.Directory, containerd.Pid, containerd.ShimPids());
            await lab.DisposeAsync();
            AssertGone(dir, pid, shims, pod.Pid);
            Assert.Empty(lab.HeldAddresses()); // CRI stopped the pod: the plugins' DEL ran
        }
        finally
        {
            await lab.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_killed_containerd_s_pods_and_shims_go_at_dispose()
    {
        await using var lab = await CriLab.StartAsync();
        var containerd = lab.Containerd;
        var pod = await lab.Cri.PodSandboxStatusAsync(await lab.Cri.RunPodSandboxAsync(lab.Pod("orphan")));
        Assert.NotNull(pod);
        var (dir, pid, shims) = (containerd.Directory, containerd.Pid, containerd.ShimPids());
        Assert.NotEmpty(shims);
        await LabCommands.Run("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await containerd.DisposeAsync();
        AssertGone(dir, pid, shims, pod.Pid);
    }

    [Fact]
    public async Task RunPodSandbox_time_with_bridge_and_host_local()
    {
        await using var lab = await CriLab.StartAsync();
        const int pods = 10;
        var run = new List<double>();
        var stop = new List<double>();
        var remove = new List<double>();
        var ids = new List<string>();
        for (var i = 0; i < pods; i++)
        {
            var config = lab.Pod($"timed-{i}");
            var watch = Stopwatch.StartNew();
            ids.Add(await lab.Cri.RunPodSandboxAsync(config));
            run.Add(watch.Elapsed.TotalMilliseconds);
        }
        Assert.Equal(pods, lab.HeldAddresses().Count);
        foreach (var id in ids)
        {
            var watch = Stopwatch.StartNew();
            await lab.Cri.StopPodSandboxAsync(id);
            stop.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await lab.Cri.RemovePodSandboxAsync(id);
            remove.Add(watch.Elapsed.TotalMilliseconds);
        }
        Assert.Empty(lab.HeldAddresses());
        output.WriteLine($"RunPodSandbox over {pods} pods (bridge + host-local): p50 {P50(run):0} ms, min {run.Min():0}, max {run.Max():0}; all: {string.Join(' ', run.Select(t => t.ToString("0")))}");
        output.WriteLine($"StopPodSandbox p50 {P50(stop):0} ms, RemovePodSandbox p50 {P50(remove):0} ms");
    }

    private static void AssertGone(string dir, int containerdPid, IReadOnlyList<int> shims, int podPid)
    {
        Assert.False(OvsSandbox.IsAlive(containerdPid), $"containerd {containerdPid} still running");
        foreach (var shim in shims) Assert.False(OvsSandbox.IsAlive(shim), $"shim {shim} still running");
        Assert.False(OvsSandbox.IsAlive(podPid), $"pod process {podPid} still running");
        Assert.Empty(LabMounts.Under(dir));
        Assert.False(Directory.Exists(dir), $"{dir} still there");
        Assert.Empty(Cgroups(dir));
    }

    /// <summary>The sandbox's cgroup parent (named after its directory) in the hierarchies that have it.</summary>
    private static IEnumerable<string> Cgroups(string sandboxDirectory) =>
        Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup").Select(h => Path.Combine(h, Path.GetFileName(sandboxDirectory))).Where(Directory.Exists).ToList();

    private static async Task WaitForNoShims(ContainerdSandbox containerd)
    {
        // A shim exits once containerd has told it to, just after the call that removed its task returned.
        for (var i = 0; i < 200 && containerd.ShimPids().Count > 0; i++) await Task.Delay(50);
        Assert.Empty(containerd.ShimPids());
    }

    private static string Inode(string path)
    {
        var (_, text) = LabCommands.Exec(TimeSpan.FromSeconds(5), "stat", "-L", "-c", "%d:%i", path).GetAwaiter().GetResult();
        return text.Trim();
    }

    private static double P50(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
