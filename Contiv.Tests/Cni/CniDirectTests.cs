using System.Text.Json.Nodes;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Lab;
using Contiv.Tests.Ovs;
using Xunit;
using Xunit.Abstractions;
using static Contiv.Tests.EndToEnd.ClusterScenario;

namespace Contiv.Tests.Cni;

/// <summary>contiv-cni run exactly as a runtime runs it (environment, config on stdin, real namespaces), against agents on two lab hosts.</summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class CniDirectTests(ITestOutputHelper output)
{
    private const string PodArgs = "K8S_POD_UID=7c1f;IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=";

    [Fact]
    public async Task Pods_on_two_hosts_get_addresses_reach_each_other_pass_check_and_are_released_by_two_dels()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 2);
        await CreateNetworkAndGroupsAsync(lab);
        var (h0, h1) = (lab.Hosts[0], lab.Hosts[1]);
        // Only root and the socket group may attach containers (issue #15).
        if (OperatingSystem.IsLinux()) Assert.Equal(Contiv.HostAgent.Hosting.SocketAccess.Mode, File.GetUnixFileMode(h0.AgentSocket));
        var nsA = ClusterLab.NetnsPath(await lab.AddContainerAsync());
        var nsB = ClusterLab.NetnsPath(await lab.AddContainerAsync());

        var a = await CniBinary.RunAsync("ADD", CniBinary.Config(h0.AgentSocket), "poda", nsA, args: PodArgs + "poda");
        Assert.True(a.ExitCode == 0, a.ToString());
        output.WriteLine(a.Stdout);
        var result = a.Json;
        Assert.Equal("1.1.0", result["cniVersion"]!.GetValue<string>());
        var iface = Assert.IsType<JsonObject>(Assert.Single(result["interfaces"]!.AsArray()));
        Assert.Equal("eth0", iface["name"]!.GetValue<string>());
        Assert.Equal(nsA, iface["sandbox"]!.GetValue<string>());
        var ip = Assert.IsType<JsonObject>(Assert.Single(result["ips"]!.AsArray()));
        var ipA = ip["address"]!.GetValue<string>();
        Assert.Matches(@"^10\.1\.0\.\d+/24$", ipA);
        Assert.Equal("10.1.0.1", ip["gateway"]!.GetValue<string>());
        Assert.Equal(0, ip["interface"]!.GetValue<int>());
        Assert.False(ip.ContainsKey("version"), "1.x results carry no ip version");
        Assert.Contains(result["routes"]!.AsArray().OfType<JsonObject>(), r => r["dst"]!.GetValue<string>() == "0.0.0.0/0" && r["gw"]!.GetValue<string>() == "10.1.0.1");
        Assert.IsType<JsonObject>(result["dns"]);
        // The pod's identity from CNI_ARGS (any order) reaches the masters.
        var endpoint = (await GetJsonAsync(lab, "/api/v1/inspect/endpoints/poda.eth0/")).GetProperty("Oper");
        Assert.Equal("shop/web-0", endpoint.GetProperty("containerName").GetString());

        var b = await CniBinary.RunAsync("ADD", CniBinary.Config(h1.AgentSocket, group: "db"), "podb", nsB,
            args: "K8S_POD_NAME=db-0;K8S_POD_NAMESPACE=shop;IgnoreUnknown=1");
        Assert.True(b.ExitCode == 0, b.ToString());
        var ipB = b.Json["ips"]![0]!["address"]!.GetValue<string>();
        Assert.True(await LabCommands.PingFrom(Path.GetFileName(nsA), ipB.Split('/')[0], count: 3), $"{ipA} reaches {ipB} across hosts");

        // CHECK: what ADD returned holds.
        var check = await CniBinary.RunAsync("CHECK", CniBinary.Config(h0.AgentSocket, prevResult: result), "poda", nsA);
        Assert.True(check.ExitCode == 0, check.ToString());
        var wrong = (JsonObject)result.DeepClone();
        wrong["ips"]![0]!["address"] = "10.1.0.250/24";
        var refused = await CniBinary.RunAsync("CHECK", CniBinary.Config(h0.AgentSocket, prevResult: wrong), "poda", nsA);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(ipA, refused.Json["msg"]!.GetValue<string>());
        // CHECK reads the switch back: with the pod's flows gone from it (and nothing else changed) it fails and says so.
        var owner = new FlowCookie(0, OwnerKind.LocalEndpoint, FlowCookie.IdOf("poda.eth0")).Value;
        await h0.Ovs.Ofctl("del-flows", LabHost.Bridge, $"cookie=0x{owner:x}/0x{~FlowCookie.RoundMask:x}");
        var noFlows = await CniBinary.RunAsync("CHECK", CniBinary.Config(h0.AgentSocket, prevResult: result), "poda", nsA);
        Assert.True(noFlows.ErrorCode == 5, noFlows.ToString());
        Assert.Matches(@"poda\.eth0: (\d+) of its \1 flows are not in the switch", noFlows.Json["msg"]!.GetValue<string>());
        // A restarted agent adopts the pod and installs every flow anew: CHECK passes again, and the pod still reaches b.
        await h0.RestartAgentAsync();
        Assert.True(await EventuallyAsync(async () =>
            (await CniBinary.RunAsync("CHECK", CniBinary.Config(h0.AgentSocket, prevResult: result), "poda", nsA)).ExitCode == 0), "CHECK after the agent's restart");
        Assert.True(await LabCommands.PingFrom(Path.GetFileName(nsA), ipB.Split('/')[0], count: 3), $"{ipA} reaches {ipB} after the agent's restart");

        // DEL as containerd sends it: at StopPodSandbox with the netns and prevResult, at RemovePodSandbox without either.
        var del = await CniBinary.RunAsync("DEL", CniBinary.Config(h0.AgentSocket, prevResult: result), "poda", nsA);
        Assert.True(del.ExitCode == 0 && del.Stdout.Length == 0, del.ToString());
        var again = await CniBinary.RunAsync("DEL", CniBinary.Config(h0.AgentSocket), "poda", netns: null);
        Assert.True(again.ExitCode == 0, again.ToString());
        var network = (await GetJsonAsync(lab, "/api/v1/inspect/networks/default:n1/")).GetProperty("Oper");
        Assert.DoesNotContain(ipA.Split('/')[0], network.GetProperty("allocatedIPAddresses").GetString()!.Split(',', '-').Select(x => x.Trim()));
        var gone = await CniBinary.RunAsync("CHECK", CniBinary.Config(h0.AgentSocket, prevResult: result), "poda", nsA);
        Assert.Equal(3, gone.ErrorCode);
    }

    [Fact]
    public async Task Chained_both_ways_in_every_version_with_annotations_choosing_the_group_and_gc_removing_what_the_runtime_no_longer_lists()
    {
        await using var lab = await ClusterLab.StartAsync(hosts: 1);
        await CreateNetworkAndGroupsAsync(lab);
        var h0 = lab.Hosts[0];

        // Our result into Debian's tuning plugin (it speaks up to 1.0.0): it passes it on, and sets its sysctl in the pod.
        var ns1 = ClusterLab.NetnsPath(await lab.AddContainerAsync());
        var ours = await CniBinary.RunAsync("ADD", CniBinary.Config(h0.AgentSocket, version: "1.0.0"), "pod1", ns1);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var tuningConfig = new JsonObject
        {
            ["cniVersion"] = "1.0.0", ["name"] = "contiv", ["type"] = "tuning",
            ["sysctl"] = new JsonObject { ["net.ipv4.conf.eth0.accept_local"] = "1" }, ["prevResult"] = ours.Json.DeepClone(),
        };
        var tuned = await CniBinary.RunAsync("ADD", tuningConfig.ToJsonString(), "pod1", ns1, binary: Path.Combine(CniBinary.ReferencePlugins, "tuning"));
        Assert.True(tuned.ExitCode == 0, tuned.ToString());
        Assert.Equal(ours.Json["ips"]![0]!["address"]!.GetValue<string>(), tuned.Json["ips"]![0]!["address"]!.GetValue<string>());
        Assert.Equal(ours.Json["interfaces"]![0]!["mac"]!.GetValue<string>(), tuned.Json["interfaces"]![0]!["mac"]!.GetValue<string>());
        var (_, sysctl) = await LabCommands.Exec(TimeSpan.FromSeconds(10), "nsenter", "--net=" + ns1, "cat", "/proc/sys/net/ipv4/conf/eth0/accept_local");
        Assert.Equal("1", sysctl.Trim());

        // A previous plugin's result into ours: we add our interface after its and index our ip to it.
        var ns2 = ClusterLab.NetnsPath(await lab.AddContainerAsync());
        var previous = JsonNode.Parse("""
            {"cniVersion":"1.1.0","interfaces":[{"name":"lo","sandbox":"x"}],"ips":[{"address":"127.0.0.1/8","interface":0}],"routes":[],"dns":{"nameservers":["10.96.0.10"]}}
            """)!.AsObject();
        var chained = await CniBinary.RunAsync("ADD", CniBinary.Config(h0.AgentSocket, prevResult: previous), "pod2", ns2, ifname: "net1");
        Assert.True(chained.ExitCode == 0, chained.ToString());
        Assert.Equal(["lo", "net1"], chained.Json["interfaces"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal(1, chained.Json["ips"]![1]!["interface"]!.GetValue<int>());
        Assert.Equal("10.96.0.10", chained.Json["dns"]!["nameservers"]![0]!.GetValue<string>());

        // An older config version gets an answer in its version; a pod's annotations choose the group (keys in any case).
        var ns3 = ClusterLab.NetnsPath(await lab.AddContainerAsync());
        var annotations = new JsonObject { ["IO.KUBERNETES.CRI.POD-ANNOTATIONS"] = new JsonObject { ["io.contiv.net-group"] = "db" } };
        var old = await CniBinary.RunAsync("ADD", CniBinary.Config(h0.AgentSocket, version: "0.3.1", runtimeConfig: annotations), "pod3", ns3);
        Assert.True(old.ExitCode == 0, old.ToString());
        Assert.Equal("0.3.1", old.Json["cniVersion"]!.GetValue<string>());
        Assert.Equal("4", old.Json["ips"]![0]!["version"]!.GetValue<string>());
        var endpoint = (await GetJsonAsync(lab, "/api/v1/inspect/endpoints/pod3.eth0/")).GetProperty("Oper");
        Assert.Equal("default:db", endpoint.GetProperty("endpointGroupKey").GetString());

        // GC: the runtime lists pod1 and pod3 only; pod2 goes.
        var gc = new JsonObject
        {
            ["cniVersion"] = "1.1.0", ["name"] = "contiv", ["type"] = "contiv-cni", ["agentSocket"] = h0.AgentSocket,
            ["cni.dev/valid-attachments"] = new JsonArray(
                new JsonObject { ["containerID"] = "pod1", ["ifname"] = "eth0" }, new JsonObject { ["containerID"] = "pod3", ["ifname"] = "eth0" }),
        };
        var collected = await CniBinary.RunAsync("GC", gc.ToJsonString(), ifname: null);
        Assert.True(collected.ExitCode == 0, collected.ToString());
        using (var response = await h0.Agent.GetAsync("/v1/endpoints/pod2.net1")) Assert.Equal(404, (int)response.StatusCode);
        using (var response = await h0.Agent.GetAsync("/v1/endpoints/pod1.eth0")) Assert.Equal(200, (int)response.StatusCode);
        using (var response = await h0.Agent.GetAsync("/v1/endpoints/pod3.eth0")) Assert.Equal(200, (int)response.StatusCode);
    }
}
