using System.Text.Json.Nodes;
using Contiv.Lab.Cri;
using Contiv.Lab.Cri.V1;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.Cri;

/// <summary>
/// What containerd's CRI plugin gives a CNI plugin for one pod's life (RunPodSandbox, StopPodSandbox,
/// RemovePodSandbox), recorded by wrapper scripts around the reference plugins: the contract our contiv-cni
/// is held to. The whole recording is printed.
/// </summary>
[Trait("Category", "Netns")]
[Trait("Category", "Cri")]
[Collection(CriCollection.Name)]
public sealed class CniCallsTests(ITestOutputHelper output)
{
    private sealed record Call(string Plugin, Dictionary<string, string> Env, JsonObject Config, string Result, int ExitCode)
    {
        public string Command => Env.GetValueOrDefault("CNI_COMMAND", "");
    }

    [Fact]
    public async Task Containerd_runs_add_once_and_del_twice_with_pod_args_and_declared_runtime_config()
    {
        await using var lab = await CriLab.StartAsync(recordCalls: true);
        var uid = Guid.NewGuid().ToString();
        var config = lab.Pod("recorded", uid);
        config.PortMappings.Add(new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 80, HostPort = 8080 });
        config.Annotations["kubernetes.io/ingress-bandwidth"] = "1M";
        config.Annotations["contiv.io/group"] = "web";
        var id = await lab.Cri.RunPodSandboxAsync(config);
        var pod = await lab.Cri.PodSandboxStatusAsync(id);
        Assert.NotNull(pod);
        await lab.Cri.StopPodSandboxAsync(id);
        await lab.Cri.RemovePodSandboxAsync(id);

        var calls = Read(lab.CallsDirectory);
        foreach (var call in calls)
        {
            output.WriteLine($"--- {call.Plugin} {call.Command} exit {call.ExitCode}");
            foreach (var (k, v) in call.Env) output.WriteLine($"{k}={v}");
            output.WriteLine(call.Config.ToJsonString());
            if (call.Result != "") output.WriteLine("=> " + call.Result.Trim());
        }

        var bridge = calls.Where(c => c.Plugin == "bridge").ToList();
        Assert.Equal(["ADD", "DEL", "DEL"], bridge.Select(c => c.Command));
        Assert.All(calls, c => Assert.Equal(0, c.ExitCode));
        var (add, stopDel, removeDel) = (bridge[0], bridge[1], bridge[2]);
        Assert.All(bridge, c =>
        {
            Assert.Equal(id, c.Env["CNI_CONTAINERID"]);
            Assert.Equal("eth0", c.Env["CNI_IFNAME"]);
            Assert.Equal("1.0.0", c.Config["cniVersion"]!.GetValue<string>());
            Assert.Equal(CriLab.NetworkName, c.Config["name"]!.GetValue<string>());
            var args = c.Env["CNI_ARGS"].Split(';').ToHashSet();
            Assert.Contains("K8S_POD_NAMESPACE=default", args);
            Assert.Contains("K8S_POD_NAME=recorded", args);
            Assert.Contains($"K8S_POD_UID={uid}", args);
            Assert.Contains($"K8S_POD_INFRA_CONTAINER_ID={id}", args);
            Assert.Contains("IgnoreUnknown=1", args);
        });
        Assert.Equal(pod.NetnsPath, add.Env["CNI_NETNS"]);
        Assert.Equal(pod.NetnsPath, stopDel.Env["CNI_NETNS"]);
        Assert.Equal("", removeDel.Env.GetValueOrDefault("CNI_NETNS", ""));
        Assert.Null(add.Config["prevResult"]);
        Assert.NotNull(stopDel.Config["prevResult"]);

        // runtimeConfig carries the declared capabilities, keys as containerd spells them, on every call (both DELs too).
        Assert.All(bridge, c => Assert.NotNull(c.Config["runtimeConfig"]));
        var runtime = add.Config["runtimeConfig"]!.AsObject();
        var port = runtime["portMappings"]!.AsArray().Single()!.AsObject();
        Assert.Equal(8080, port["HostPort"]!.GetValue<int>());
        Assert.Equal(80, port["ContainerPort"]!.GetValue<int>());
        Assert.Equal("tcp", port["Protocol"]!.GetValue<string>());
        Assert.NotNull(runtime["bandwidth"]);
        Assert.NotNull(runtime["dns"]);
        Assert.Equal("web", runtime["io.kubernetes.cri.pod-annotations"]!["contiv.io/group"]!.GetValue<string>());
    }

    private static List<Call> Read(string directory) =>
        Directory.GetFiles(directory, "*.env").Order(StringComparer.Ordinal).Select(env =>
        {
            var stem = env[..^".env".Length];
            var plugin = Path.GetFileName(stem).Split('-', 3)[2]; // <time>-<pid>-<plugin>
            var vars = File.ReadAllLines(env).Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            var result = File.Exists(stem + ".stdout") ? File.ReadAllText(stem + ".stdout") : "";
            var code = File.Exists(stem + ".rc") ? int.Parse(File.ReadAllText(stem + ".rc").Trim(), System.Globalization.CultureInfo.InvariantCulture) : -1;
            return new Call(plugin, vars, JsonNode.Parse(File.ReadAllText(stem + ".stdin"))!.AsObject(), result, code);
        }).ToList();
}
