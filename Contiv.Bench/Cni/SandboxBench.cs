using System.Diagnostics;
using Contiv.Lab;
using Contiv.Lab.Cri;

namespace Contiv.Bench.Cni;

/// <summary>
/// RunPodSandbox end to end, as kubelet asks it of containerd's CRI: the same private containerd (Contiv.Lab's
/// ContainerdSandbox) with Debian's bridge + host-local, then with contiv-cni on a lab host. Each series keeps
/// its pods running until it ends, as a node keeps its pods; a few warm-up pods first, not counted.
/// </summary>
internal static class SandboxBench
{
    private const string ReferencePlugins = "/usr/lib/cni";
    private const int WarmUp = 3;

    public static async Task<List<double>> ReferenceAsync(int pods)
    {
        var links = new LabLinks();
        var dir = Directory.CreateTempSubdirectory("contiv-sandbox-bench-").FullName;
        try
        {
            var netns = "sbx" + Guid.NewGuid().ToString("N")[..8];
            await links.NamespaceAsync(netns);
            var (bin, conf) = Dirs(dir);
            foreach (var plugin in new[] { "bridge", "host-local", "loopback" })
                File.CreateSymbolicLink(Path.Combine(bin, plugin), Path.Combine(ReferencePlugins, plugin));
            await File.WriteAllTextAsync(Path.Combine(conf, "10-bridge.conflist"), $$$"""
                {"cniVersion": "1.0.0", "name": "bench-bridge", "plugins": [
                  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.0.0/16"}]], "dataDir": "{{{Path.Combine(dir, "ipam")}}}"}}
                ]}
                """);
            await using var containerd = await ContainerdSandbox.StartAsync(netns, bin, conf, podNetnsUnderStateDir: false);
            return await RunPodsAsync(containerd, dir, pods);
        }
        finally
        {
            links.Remove();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The same with contiv-cni (<paramref name="binary"/>) on <paramref name="host"/>, network n1 group web.</summary>
    public static async Task<List<double>> ContivAsync(int pods, LabHost host, string binary)
    {
        var dir = Directory.CreateTempSubdirectory("contiv-sandbox-bench-").FullName;
        try
        {
            var (bin, conf) = Dirs(dir);
            File.CreateSymbolicLink(Path.Combine(bin, "contiv-cni"), binary);
            File.CreateSymbolicLink(Path.Combine(bin, "loopback"), Path.Combine(ReferencePlugins, "loopback"));
            await File.WriteAllTextAsync(Path.Combine(conf, "10-contiv.conflist"), $$"""
                {"cniVersion": "1.0.0", "name": "contiv", "plugins": [
                  {"type": "contiv-cni", "network": "n1", "group": "web", "agentSocket": "{{host.AgentSocket}}"}
                ]}
                """);
            // The agent runs under `ip netns exec` (a mount namespace of its own): pods' namespaces must be in /var/run/netns.
            await using var containerd = await ContainerdSandbox.StartAsync(host.Namespace, bin, conf, podNetnsUnderStateDir: false);
            return await RunPodsAsync(containerd, dir, pods);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (string Bin, string Conf) Dirs(string dir) =>
        (Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName, Directory.CreateDirectory(Path.Combine(dir, "conf")).FullName);

    private static async Task<List<double>> RunPodsAsync(ContainerdSandbox containerd, string dir, int pods)
    {
        var times = new List<double>();
        var ids = new List<string>();
        try
        {
            for (var i = 0; i < WarmUp + pods; i++)
            {
                var uid = Guid.NewGuid().ToString();
                var name = $"bench-{i}";
                var logs = Directory.CreateDirectory(Path.Combine(dir, "pods", $"bench_{name}_{uid}")).FullName;
                var config = CriClient.PodConfig(name, uid, "bench", logs, cgroupParent: containerd.CgroupParent);
                var watch = Stopwatch.StartNew();
                ids.Add(await containerd.Cri.RunPodSandboxAsync(config));
                if (i >= WarmUp) times.Add(watch.Elapsed.TotalMilliseconds);
            }
            return times;
        }
        finally
        {
            // Given back through the plugin, as kubelet would, so nothing outlives the series.
            foreach (var id in ids)
            {
                await containerd.Cri.StopPodSandboxAsync(id);
                await containerd.Cri.RemovePodSandboxAsync(id);
            }
        }
    }
}
