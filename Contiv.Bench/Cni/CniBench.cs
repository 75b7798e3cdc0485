using System.Diagnostics;
using System.Globalization;
using Contiv.Lab;

namespace Contiv.Bench.Cni;

/// <summary>
/// `Contiv.Bench cni`: contiv-cni as a runtime runs it (cni/install.sh's NativeAOT binary, env + stdin).
/// Cold start: VERSION, a process per call. ADD latency: one lab host (ovs-vswitchd, contiv-agent), a
/// namespace per pod, the binary's ADD timed from exec to exit (address, veth, OVS port, flows in).
/// </summary>
public static class CniBench
{
    public const string Usage = """
        usage: dotnet Contiv.Bench.dll cni [--pods 200] [--starts 100] [--sandboxes 50]

        cni: contiv-cni's cold start (VERSION, --starts runs), RunPodSandbox through containerd's CRI
        with Debian's bridge + host-local and with contiv-cni (--sandboxes pods each, 0: skip), and
        ADD latency over --pods pods on a lab host (needs root, Open vSwitch, containerd), p50/p99.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int pods = 200, starts = 100, sandboxes = 50;
        var options = new OptionReader(args);
        try
        {
            while (options.MoveNext())
            {
                switch (options.Name)
                {
                    case "--pods": pods = options.Int(1, 5000); break;
                    case "--starts": starts = options.Int(1, 10000); break;
                    case "--sandboxes": sandboxes = options.Int(0, 1000); break;
                    default: throw options.Unknown();
                }
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}\n\n{Usage}");
            return 2;
        }

        var bin = Directory.CreateTempSubdirectory("contiv-cni-bench-").FullName;
        try
        {
            var (code, output) = await LabCommands.Exec(TimeSpan.FromMinutes(10), "bash", Path.Combine(LabPaths.RepositoryRoot(), "cni", "install.sh"), "--bin-dir", bin, "--no-conf");
            if (code != 0) throw new InvalidOperationException($"cni/install.sh failed: {output}");
            Console.WriteLine(output.Trim());
            var binary = Path.Combine(bin, "contiv-cni");

            Console.WriteLine($"\n== cold start: {starts} runs of VERSION (exec to exit)");
            var cold = new List<double>();
            for (var i = 0; i < starts; i++)
            {
                var (ms, exit, text) = await RunAsync(binary, "VERSION", """{"cniVersion":"1.1.0"}""", []);
                if (exit != 0) throw new InvalidOperationException($"VERSION failed: {text}");
                cold.Add(ms);
            }
            Report("VERSION", cold);

            if (sandboxes > 0)
            {
                Console.WriteLine($"\n== RunPodSandbox through containerd's CRI with Debian's bridge + host-local, {sandboxes} pods kept running (3 warm-up)");
                Report("RunPodSandbox, bridge + host-local", await SandboxBench.ReferenceAsync(sandboxes));
            }

            await using var lab = await ClusterLab.StartAsync(hosts: 1);
            await lab.PostAsync("/api/v1/networks/default:n1/", """{"tenantName":"default","networkName":"n1","encap":"vxlan","subnet":"10.64.0.0/16","gateway":"10.64.0.1"}""");
            await lab.PostAsync("/api/v1/endpointGroups/default:web/", """{"tenantName":"default","groupName":"web","networkName":"n1"}""");
            var config = $$"""{"cniVersion":"1.1.0","name":"contiv","type":"contiv-cni","network":"n1","group":"web","agentSocket":"{{lab.Hosts[0].AgentSocket}}"}""";
            Console.WriteLine($"\n== ADD through the binary: {pods} pods on one host, one at a time, from the agent's start");
            var adds = new List<double>();
            var namespaces = new List<string>();
            for (var i = 0; i < pods; i++)
            {
                namespaces.Add(ClusterLab.NetnsPath(await lab.AddContainerAsync()));
                var (ms, exit, text) = await RunAsync(binary, "ADD", config, PodEnv(i, namespaces[i]));
                if (exit != 0) throw new InvalidOperationException($"ADD bench{i}: {text}");
                adds.Add(ms);
            }
            Report("ADD", adds);
            if (pods > 40)
            {
                // A node's first pods after an agent (re)start meet its warm-up (the JIT); the rest, the steady state.
                Report("ADD, the first 20 pods", adds[..20]);
                Report($"ADD, the other {pods - 20}", adds[20..]);
            }
            // The binary's own round trip to the agent (exec, config, one local API call, result): STATUS.
            var statuses = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                var (ms, exit, text) = await RunAsync(binary, "STATUS", config, []);
                if (exit != 0) throw new InvalidOperationException($"STATUS: {text}");
                statuses.Add(ms);
            }
            Report("STATUS (exec and one call to the agent)", statuses);

            // Where an ADD's time goes, from the agent's log: the masters' endpoint saga, the plumbing, the flows.
            var log = lab.Hosts[0].AgentProcess.Output;
            Console.WriteLine("\n== the agent's share, from its log");
            Report("address from the masters", Phase(log, @"from the masters in ([0-9.]+) ms"));
            Report("plumbing (veth, namespace, OVS port)", Phase(log, @"plumbed in ([0-9.]+) ms"));
            Report("flows in the switch after plumbing", Phase(log, @"flows in the switch ([0-9.]+) ms after plumbing"));

            Console.WriteLine($"\n== DEL through the binary, the same pods in turn");
            var dels = new List<double>();
            for (var i = 0; i < namespaces.Count; i++)
            {
                var (ms, exit, text) = await RunAsync(binary, "DEL", config, PodEnv(i, namespaces[i]));
                if (exit != 0) throw new InvalidOperationException($"DEL bench{i}: {text}");
                dels.Add(ms);
            }
            Report("DEL", dels);

            if (sandboxes > 0)
            {
                // On the same agent, now warm (the ADD and DEL series ran through it) and without pods, as the reference had none.
                Console.WriteLine($"\n== RunPodSandbox through containerd's CRI with contiv-cni, {sandboxes} pods kept running (3 warm-up)");
                Report("RunPodSandbox, contiv-cni", await SandboxBench.ContivAsync(sandboxes, lab.Hosts[0], binary));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    private static Dictionary<string, string> PodEnv(int i, string netns) => new()
    {
        ["CNI_CONTAINERID"] = $"bench{i}", ["CNI_NETNS"] = netns, ["CNI_IFNAME"] = "eth0",
        ["CNI_ARGS"] = $"K8S_POD_NAMESPACE=bench;K8S_POD_NAME=pod{i};IgnoreUnknown=1",
    };

    private static async Task<(double Ms, int Exit, string Output)> RunAsync(string binary, string command, string stdin, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["CNI_COMMAND"] = command;
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (watch.Elapsed.TotalMilliseconds, process.ExitCode, output);
    }

    private static List<double> Phase(string log, string pattern) =>
        [.. System.Text.RegularExpressions.Regex.Matches(log, pattern).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private static void Report(string what, List<double> samples)
    {
        var stats = LatencyStats.FromMs(samples);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: p50 {stats.MedianMs:F1} ms, p99 {stats.P99Ms:F1} ms, mean {stats.MeanMs:F1} ms, max {stats.MaxMs:F1} ms over {stats.Count}"));
    }

}
