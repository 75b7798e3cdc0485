using Contiv.Dataplane.Ovs.Flows;
using Contiv.Lab;
using Contiv.Tests.Cni;
using Xunit;
using Xunit.Abstractions;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.Cri;

/// <summary>contiv-cni under a real Kubernetes runtime: containerd's CRI, driven as kubelet drives it, on a lab host with its agent.</summary>
[Trait("Category", "Netns")]
[Trait("Category", "Cri")]
[Collection(CriCollection.Name)]
public sealed class ContivUnderCriTests(ITestOutputHelper output)
{
    private const string DenyIcmpToDb =
        """{"tenantName":"default","policyName":"p1","ruleId":"9","direction":"in","priority":10,"protocol":"icmp","action":"deny"}""";

    [Fact]
    public async Task Pods_get_contiv_addresses_and_groups_obey_policy_and_give_everything_back()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 1);
        await CreateNetworkAndGroupsAsync(lab);
        var host = lab.Hosts[0];
        var dir = Directory.CreateTempSubdirectory("contiv-cri-cni-").FullName;
        try
        {
            // What cni/install.sh puts where a runtime looks: the binary (and containerd's own loopback), a conflist.
            var bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
            var conf = Directory.CreateDirectory(Path.Combine(dir, "conf")).FullName;
            File.CreateSymbolicLink(Path.Combine(bin, "contiv-cni"), Path.Combine(await CniBinary.BinDirectoryAsync(), "contiv-cni"));
            File.CreateSymbolicLink(Path.Combine(bin, "loopback"), Path.Combine(CniBinary.ReferencePlugins, "loopback"));
            await File.WriteAllTextAsync(Path.Combine(conf, "10-contiv.conflist"), $$$"""
                {"cniVersion": "1.0.0", "name": "contiv", "plugins": [
                  {"type": "contiv-cni", "tenant": "default", "network": "n1", "group": "web", "agentSocket": "{{{host.AgentSocket}}}",
                   "capabilities": {"io.kubernetes.cri.pod-annotations": true}}
                ]}
                """);
            // The agent runs under `ip netns exec` (a mount namespace of its own): pods' namespaces in /var/run/netns reach it.
            await using var containerd = await ContainerdSandbox.StartAsync(host.Namespace, bin, conf, podNetnsUnderStateDir: false);

            var webId = await containerd.Cri.RunPodSandboxAsync(Pod(containerd, dir, "web-0"));
            var dbId = await containerd.Cri.RunPodSandboxAsync(Pod(containerd, dir, "db-0", new Dictionary<string, string> { ["io.contiv.net-group"] = "db" }));
            var web = (await containerd.Cri.PodSandboxStatusAsync(webId))!;
            var db = (await containerd.Cri.PodSandboxStatusAsync(dbId))!;
            output.WriteLine($"web-0 {web.Ip}, db-0 {db.Ip}");
            Assert.StartsWith("10.1.0.", web.Ip);
            Assert.StartsWith("10.1.0.", db.Ip);
            // The attachment is the sandbox's eth0; the pod's name and the group its annotation chose are the endpoint's.
            foreach (var (id, name, group) in new[] { (webId, "default/web-0", "default:web"), (dbId, "default/db-0", "default:db") })
            {
                var endpoint = (await GetJsonAsync(lab, $"/api/v1/inspect/endpoints/{id}.eth0/")).GetProperty("Oper");
                Assert.Equal(name, endpoint.GetProperty("containerName").GetString());
                Assert.Equal(group, endpoint.GetProperty("endpointGroupKey").GetString());
            }

            Assert.True(await PingsAsync(web.NetnsPath!, db.Ip), "web-0 reaches db-0");
            await lab.PostAsync("/api/v1/rules/default:p1:9/", DenyIcmpToDb);
            Assert.True(await EventuallyAsync(async () => !await PingsAsync(web.NetnsPath!, db.Ip)), "db's policy denies icmp from web-0");
            Assert.True(await PingsAsync(db.NetnsPath!, web.Ip), "web has no such rule: db-0 reaches web-0");
            await lab.DeleteAsync("/api/v1/rules/default:p1:9/");
            Assert.True(await EventuallyAsync(() => PingsAsync(web.NetnsPath!, db.Ip)), "without the rule web-0 reaches db-0 again");
            var flowsBefore = await host.FlowsAsync();

            // Each pod's flows are in the switch (counted by their owner cookie) until the pod is gone.
            Assert.All(new[] { webId, dbId }, id => Assert.NotEmpty(FlowsOf(id, flowsBefore)));
            foreach (var id in new[] { webId, dbId })
            {
                await containerd.Cri.StopPodSandboxAsync(id);
                await containerd.Cri.RemovePodSandboxAsync(id);
            }
            // DEL answers once the port is gone; the flows follow in the agent's next bundle.
            Assert.True(await EventuallyAsync(async () =>
            {
                var flowsAfter = await host.FlowsAsync();
                return FlowsOf(webId, flowsAfter).Count == 0 && FlowsOf(dbId, flowsAfter).Count == 0;
            }), "the pods' flows leave the switch");
            var network = (await GetJsonAsync(lab, "/api/v1/inspect/networks/default:n1/")).GetProperty("Oper");
            Assert.Equal("10.1.0.1", network.GetProperty("allocatedIPAddresses").GetString());
            Assert.False(network.TryGetProperty("numEndpoints", out _));
            var ports = (await host.Ovs.Vsctl("list-ports", LabHost.Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(ports, Contiv.HostAgent.Plumbing.EndpointNames.IsHostInterface);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        }
    }

    private static Contiv.Lab.Cri.V1.PodSandboxConfig Pod(ContainerdSandbox containerd, string dir, string name, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var uid = Guid.NewGuid().ToString();
        var logs = Directory.CreateDirectory(Path.Combine(dir, "pods", $"default_{name}_{uid}")).FullName;
        return Contiv.Lab.Cri.CriClient.PodConfig(name, uid, "default", logs, annotations: annotations, cgroupParent: containerd.CgroupParent);
    }

    /// <summary>The flow lines whose cookie names the pod's attachment (its sandbox's eth0) as their owner, in any round.</summary>
    private static List<string> FlowsOf(string sandboxId, IReadOnlyList<string> flows)
    {
        var owner = new FlowCookie(0, OwnerKind.LocalEndpoint, FlowCookie.IdOf($"{sandboxId}.eth0")).Value;
        return [.. flows.Where(line => System.Text.RegularExpressions.Regex.Match(line, @"cookie=0x([0-9a-f]+)") is { Success: true } m
                                       && (Convert.ToUInt64(m.Groups[1].Value, 16) & ~FlowCookie.RoundMask) == owner)];
    }

    private static async Task<bool> PingsAsync(string netns, string ip) =>
        (await CriLab.InNetns(netns, "ping", "-c", "2", "-W", "2", ip)).ExitCode == 0;
}
