using System.Globalization;
using Contiv.Lab;
using Contiv.Tests.Ovs;
using Xunit;

namespace Contiv.Tests.ClusterTests;

/// <summary>
/// The lab itself: every process runs in the namespace it should (the master in the root one, each
/// agent and its ovs-vswitchd in its host's), the PIDs it keeps are those processes (not an
/// `ip netns exec` wrapper), and teardown leaves no process, namespace, link or directory behind.
/// </summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class ClusterLabTests
{
    [Fact]
    public async Task Processes_run_in_their_namespaces_under_the_pids_the_lab_keeps_and_teardown_leaves_nothing()
    {
        var lab = await ClusterLab.StartAsync(hosts: 2);
        List<int> pids;
        List<string> namespaces, links, directories;
        try
        {
            var root = NetNamespaceOf("self");
            Assert.Equal("dotnet", Comm(lab.Master.Process.Pid));
            Assert.Equal(root, NetNamespaceOf(lab.Master.Process.Pid.ToString(CultureInfo.InvariantCulture)));
            foreach (var host in lab.Hosts)
            {
                var inode = (await LabCommands.Exec(TimeSpan.FromSeconds(5), "stat", "-L", "-c", "%i", ClusterLab.NetnsPath(host.Namespace))).Output.Trim();
                var expected = $"net:[{inode}]";
                Assert.NotEqual(root, expected);
                var agent = host.AgentPid!.Value;
                Assert.Equal("dotnet", Comm(agent)); // `ip netns exec` execs: the PID the lab kills is the agent's
                Assert.Equal(expected, NetNamespaceOf(agent.ToString(CultureInfo.InvariantCulture)));
                foreach (var daemon in host.OvsPids()) Assert.Equal(expected, NetNamespaceOf(daemon.ToString(CultureInfo.InvariantCulture)));
                Assert.Equal(2, host.OvsPids().Count());
                using var status = await host.Agent.GetAsync("/v1/status");
                Assert.Equal(200, (int)status.StatusCode);
            }
            var container = await lab.Hosts[1].AddContainerAsync();
            Assert.StartsWith("/var/run/netns/", container, StringComparison.Ordinal);
            Assert.True(File.Exists(container));
            var (code, lo) = await LabCommands.Exec(TimeSpan.FromSeconds(5), "ip", "-n", Path.GetFileName(container), "-br", "link", "show", "lo");
            Assert.True(code == 0 && lo.Contains("UP", StringComparison.Ordinal), lo);

            pids = [.. lab.Pids()];
            Assert.Equal(1 + 2 + 2 * 2, pids.Count);
            namespaces = [.. lab.Namespaces];
            Assert.Equal(3, namespaces.Count);
            links = [.. lab.Links];
            directories = [lab.Directory, .. lab.Hosts.Select(h => h.Ovs.Directory)];
        }
        finally
        {
            await lab.DisposeAsync();
        }

        foreach (var pid in pids) Assert.False(OvsSandbox.IsAlive(pid), $"pid {pid} outlived the lab");
        var (_, netnsList) = await LabCommands.Exec(TimeSpan.FromSeconds(5), "ip", "netns", "list");
        var existing = netnsList.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToHashSet();
        foreach (var ns in namespaces) Assert.DoesNotContain(ns, existing);
        var (_, linkList) = await LabCommands.Exec(TimeSpan.FromSeconds(5), "ip", "-o", "link", "show");
        var names = linkList.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[1].Trim().Split('@')[0]).ToHashSet();
        foreach (var link in links) Assert.DoesNotContain(link, names);
        foreach (var directory in directories) Assert.False(System.IO.Directory.Exists(directory), $"{directory} outlived the lab");
    }

    private static string Comm(int pid) => File.ReadAllText($"/proc/{pid}/comm").Trim();

    private static string NetNamespaceOf(string pid) => new FileInfo($"/proc/{pid}/ns/net").LinkTarget!;
}
