using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Contiv.Lab;

namespace Contiv.Bench.Docker;

/// <summary>
/// `Contiv.Bench docker`: what our Docker driver adds to `docker run`. One lab host (ovs-vswitchd,
/// contiv-agent with the driver as a legacy plugin) with a private dockerd in its namespace; busybox
/// containers started with `docker run -d` (it returns once the container runs, so its network is
/// ready) in turn on a Contiv network, on `--network none` and on a user network of dockerd's own
/// bridge driver (what a user-defined network costs dockerd whatever its driver: the sandbox, its
/// embedded DNS); then each driver call's own time as the agent logged it.
/// </summary>
public static partial class DockerBench
{
    public const string Usage = """
        usage: dotnet Contiv.Bench.dll docker [--containers 50] [--warmup 3]

        docker: `docker run -d` to running, p50/p99 over --containers containers on a Contiv network,
        as many on --network none and as many on a network of dockerd's bridge driver (needs root,
        Open vSwitch and docker.io). Then the driver's time per call, from the agent's log.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int containers = 50, warmup = 3;
        var options = new OptionReader(args);
        try
        {
            while (options.MoveNext())
            {
                switch (options.Name)
                {
                    case "--containers": containers = options.Int(1, 1000); break;
                    case "--warmup": warmup = options.Int(0, 100); break;
                    default: throw options.Unknown();
                }
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}\n\n{Usage}");
            return 2;
        }

        await using var lab = await DockerLab.StartAsync();
        await lab.Lab.PostAsync("/api/v1/networks/default:n1/", """{"tenantName":"default","networkName":"n1","encap":"vxlan","subnet":"10.64.0.0/16","gateway":"10.64.0.1"}""");
        await lab.Lab.PostAsync("/api/v1/endpointGroups/default:web/", """{"tenantName":"default","groupName":"web","networkName":"n1"}""");
        await lab.RunAsync("network", "create", "-d", lab.Driver, "--ipam-driver", lab.Driver, "-o", "group=web", "--ipam-opt", "group=web", "web");
        await lab.RunAsync("network", "create", "-d", "bridge", "--subnet", "10.65.0.0/16", "plain");

        Console.WriteLine($"== `docker run -d` to running: {containers} containers each on Contiv network web, --network none and bridge network plain, in turn ({warmup} of each first, not counted)");
        var contiv = new List<double>();
        var none = new List<double>();
        var bridge = new List<double>();
        var logFrom = 0;
        for (var i = -warmup; i < containers; i++)
        {
            if (i == 0) logFrom = lab.Host.AgentProcess.Output.Length;
            var a = await TimeRunAsync(lab, $"c{i + warmup}", "web");
            var b = await TimeRunAsync(lab, $"n{i + warmup}", "none");
            var c = await TimeRunAsync(lab, $"b{i + warmup}", "plain");
            if (i < 0) continue;
            contiv.Add(a);
            none.Add(b);
            bridge.Add(c);
        }
        var withDriver = LatencyStats.FromMs(contiv);
        var without = LatencyStats.FromMs(none);
        Report("contiv network", withDriver);
        Report("--network none", without);
        var builtIn = LatencyStats.FromMs(bridge);
        Report("dockerd's bridge driver", builtIn);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"contiv minus none: p50 {withDriver.MedianMs - without.MedianMs:F1} ms, mean {withDriver.MeanMs - without.MeanMs:F1} ms; " +
            $"contiv minus bridge: p50 {withDriver.MedianMs - builtIn.MedianMs:F1} ms, mean {withDriver.MeanMs - builtIn.MeanMs:F1} ms"));

        Console.WriteLine("\n== driver time per call (agent log, measured containers only)");
        var calls = CallLine().Matches(lab.Host.AgentProcess.Output[logFrom..])
            .GroupBy(m => m.Groups["path"].Value, m => double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture));
        foreach (var call in calls.OrderByDescending(c => c.Average()))
            Report(call.Key, LatencyStats.FromMs(call));
        return 0;
    }

    private static async Task<double> TimeRunAsync(DockerLab lab, string name, string network)
    {
        var watch = Stopwatch.StartNew();
        await lab.RunAsync("run", "-d", "--name", name, "--network", network, lab.Image, "sleep", "3600");
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Report(string what, LatencyStats stats) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: p50 {stats.MedianMs:F1} ms, p99 {stats.P99Ms:F1} ms, mean {stats.MeanMs:F1} ms, max {stats.MaxMs:F1} ms over {stats.Count}"));

    [GeneratedRegex(@"contiv-agent docker: (?<path>/\S+) (?<ms>[0-9.]+) ms")]
    private static partial Regex CallLine();
}
