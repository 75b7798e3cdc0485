using System.Net;
using Contiv.Lab;
using Contiv.Lab.Cri;
using Xunit;

namespace Contiv.Tests.Cri;

/// <summary>
/// Tests that run a private containerd with its CRI plugin (<see cref="ContainerdSandbox"/>): heavy, and each
/// pod a real runc container, so one at a time. Selected with <c>--filter Category=Cri</c>; a missing containerd,
/// runc, containernetworking-plugins or busybox-static fails them, never skips them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CriCollection
{
    public const string Name = "cri";
}

/// <summary>
/// A network namespace of the test's own, a containerd in it, and a CNI conf dir holding one conflist:
/// Debian's reference bridge + host-local (loopback is containerd's own), their host-local leases under the
/// lab's directory. With <c>recordCalls</c> each plugin is a wrapper script that records the env and stdin the
/// runtime gives it (and its result) in <see cref="CallsDirectory"/>, then runs the real plugin.
/// </summary>
public sealed class CriLab : IAsyncDisposable
{
    private const string ReferencePlugins = "/usr/lib/cni";
    public const string NetworkName = "contiv-cri-test";
    public const string Subnet = "10.88.7.0/24";

    public ContainerdSandbox Containerd { get; }
    public CriClient Cri => Containerd.Cri;
    public string Directory { get; }
    public string Netns { get; }
    public string CallsDirectory => Path.Combine(Directory, "calls");
    public string HostLocalDirectory => Path.Combine(Directory, "ipam");
    public string LogDirectory => Path.Combine(Directory, "pods");

    private readonly LabLinks _links;

    private CriLab(ContainerdSandbox containerd, string directory, string netns, LabLinks links)
    {
        Containerd = containerd;
        Directory = directory;
        Netns = netns;
        _links = links;
    }

    public static async Task<CriLab> StartAsync(bool recordCalls = false)
    {
        foreach (var plugin in new[] { "bridge", "host-local", "loopback" })
        {
            if (!File.Exists(Path.Combine(ReferencePlugins, plugin)))
                throw new InvalidOperationException($"{ReferencePlugins}/{plugin} not found: the CRI tests need Debian's containernetworking-plugins (apt-get install containernetworking-plugins); .ci/run installs it");
        }
        var id = Guid.NewGuid().ToString("N")[..8];
        var directory = System.IO.Directory.CreateTempSubdirectory("contiv-crilab-").FullName;
        var links = new LabLinks();
        var netns = "cri" + id;
        try
        {
            await links.NamespaceAsync(netns);
            var bin = System.IO.Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
            var conf = System.IO.Directory.CreateDirectory(Path.Combine(directory, "conf")).FullName;
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "calls"));
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "pods"));
            foreach (var plugin in new[] { "bridge", "host-local", "loopback" })
            {
                var target = Path.Combine(ReferencePlugins, plugin);
                if (recordCalls) await WriteRecorderAsync(Path.Combine(bin, plugin), target, Path.Combine(directory, "calls"));
                else File.CreateSymbolicLink(Path.Combine(bin, plugin), target);
            }
            await File.WriteAllTextAsync(Path.Combine(conf, "10-contiv-cri-test.conflist"), Conflist(Path.Combine(directory, "ipam")));
            var containerd = await ContainerdSandbox.StartAsync(netns, bin, conf);
            return new CriLab(containerd, directory, netns, links);
        }
        catch
        {
            links.Remove();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    // The bridge also declares the capabilities the Contiv plugin will (port mappings, bandwidth, DNS), so that a
    // recording shows the runtimeConfig containerd sends for them; the bridge ignores it.
    private static string Conflist(string ipamDir) => $$"""
        {
          "cniVersion": "1.0.0",
          "name": "{{NetworkName}}",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "cni0",
              "isGateway": true,
              "ipMasq": false,
              "capabilities": { "portMappings": true, "bandwidth": true, "dns": true, "io.kubernetes.cri.pod-annotations": true },
              "ipam": { "type": "host-local", "ranges": [[{ "subnet": "{{Subnet}}" }]], "dataDir": "{{ipamDir}}" }
            }
          ]
        }
        """;

    private static async Task WriteRecorderAsync(string path, string plugin, string calls)
    {
        await File.WriteAllTextAsync(path, $$"""
            #!/bin/sh
            # Records what the runtime gives this CNI plugin, then runs the real one with it.
            f="{{calls}}/$(date +%s.%N)-$$-{{Path.GetFileName(plugin)}}"
            env | grep '^CNI_' | sort > "$f.env"
            cat > "$f.stdin"
            {{plugin}} < "$f.stdin" > "$f.stdout"
            rc=$?
            echo $rc > "$f.rc"
            cat "$f.stdout"
            exit $rc

            """);
        await LabCommands.Run("chmod", "0755", path);
    }

    /// <summary>The addresses host-local holds for the network (a file per address in its data dir).</summary>
    public IReadOnlyList<string> HeldAddresses()
    {
        var dir = Path.Combine(HostLocalDirectory, NetworkName);
        if (!System.IO.Directory.Exists(dir)) return [];
        return System.IO.Directory.GetFiles(dir).Select(Path.GetFileName).Where(name => IPAddress.TryParse(name, out _)).Select(name => name!).Order().ToList();
    }

    /// <summary>A kubelet-like sandbox config for pod <paramref name="name"/> in namespace "default", with a log directory of its own.</summary>
    public Contiv.Lab.Cri.V1.PodSandboxConfig Pod(string name, string? uid = null)
    {
        uid ??= Guid.NewGuid().ToString();
        var logs = System.IO.Directory.CreateDirectory(Path.Combine(LogDirectory, $"default_{name}_{uid}")).FullName;
        return CriClient.PodConfig(name, uid, "default", logs, cgroupParent: Containerd.CgroupParent);
    }

    /// <summary>Runs <paramref name="command"/> in the network namespace at <paramref name="netnsPath"/> (nsenter; the host's binaries).</summary>
    public static Task<(int ExitCode, string Output)> InNetns(string netnsPath, params string[] command) =>
        LabCommands.Exec(TimeSpan.FromSeconds(20), ["nsenter", "--net=" + netnsPath, .. command]);

    public async ValueTask DisposeAsync()
    {
        await Containerd.DisposeAsync();
        _links.Remove();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
