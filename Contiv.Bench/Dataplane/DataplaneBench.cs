using System.Diagnostics;
using System.Globalization;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;
using Contiv.Dataplane.Ovs.Pipeline;
using Contiv.Lab;

namespace Contiv.Bench.Dataplane;

/// <summary>
/// `Contiv.Bench dataplane`: the three figures of the OVS dataplane issue.
/// 1. compile time and flow count for 1k/10k/50k endpoints × 100/1,000 rules (pure, no switch);
/// 2. 10,000 new flows in one bundle, our client vs `ovs-ofctl --bundle add-flows`, alternating runs
///    on one private ovs-vswitchd (userspace datapath), with the installed tables compared;
/// 3. one rule added to a 10k-endpoint host: compile + diff + apply, through our client.
/// Needs root and Open vSwitch (it starts its own daemons in a temporary directory).
/// </summary>
public static class DataplaneBench
{
    public const string Usage = """
        usage: dotnet Contiv.Bench.dll dataplane [--runs N] [--flows N]

        dataplane: compile times and flow counts (1k/10k/50k endpoints x 100/1,000 rules), then on a
        private ovs-vswitchd: --flows new flows (default 10000) in one bundle through our OpenFlow
        client vs `ovs-ofctl --bundle add-flows`, --runs times each, alternating (default 5); then
        one rule added to a 10k-endpoint host, compile + diff + apply, --runs x 4 times.
        Needs root and Debian's openvswitch-switch.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = 5;
        var flows = 10_000;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r > 0: runs = r; i++; break;
                case "--flows" when i + 1 < args.Length && int.TryParse(args[i + 1], out var f) && f > 0: flows = f; i++; break;
                default:
                    Console.Error.WriteLine($"error: unexpected argument '{args[i]}'\n\n{Usage}");
                    return 2;
            }
        }

        Compile(runs);
        await using var ovs = await OvsSandbox.StartAsync();
        var port = await ovs.AddBridgeAsync("bench");
        var bridge = ovs.BridgeName("bench");
        var target = $"tcp:127.0.0.1:{port}";
        await BundleVsOfctl(ovs, bridge, target, flows, runs);
        await Incremental(ovs, bridge, target, runs * 4);
        return 0;
    }

    private static void Compile(int runs)
    {
        Console.WriteLine("== compile (FlowCompiler.Compile, pure; median of the runs after one warm-up)");
        Console.WriteLine($"{"endpoints",10} {"local",6} {"rules",6} {"flows",8} {"median ms",10} {"min ms",8}");
        foreach (var endpoints in new[] { 1_000, 10_000, 50_000 })
        {
            foreach (var rules in new[] { 100, 1_000 })
            {
                var state = BenchHostState.Build(endpoints, rules);
                var count = FlowCompiler.Compile(state, 1).Count;
                var times = Enumerable.Range(0, runs).Select(_ => Time(() => FlowCompiler.Compile(state, 2))).ToList();
                var stats = LatencyStats.FromMs(times);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{endpoints,10} {state.LocalEndpoints.Count,6} {rules,6} {count,8} {stats.MedianMs,10:F1} {stats.MinMs,8:F1}"));
            }
        }
    }

    private static async Task BundleVsOfctl(OvsSandbox ovs, string bridge, string target, int count, int runs)
    {
        Console.WriteLine($"\n== {count} new flows in one bundle (ovs-vswitchd userspace datapath, empty bridge before each run)");
        var file = Path.Combine(ovs.Directory, "flows.txt");
        await File.WriteAllLinesAsync(file, SyntheticFlows.OfctlLines(count));
        var operations = SyntheticFlows.Ours(count).Select(f => (FlowOp)new AddFlow(f)).ToList();
        await using var connection = await OpenFlowConnection.ConnectAsync(target);
        var oursSwitch = new OpenFlowSwitch(connection);

        var ours = new List<double>();
        var ofctl = new List<double>();
        string? ofctlTable = null, oursTable = null;
        for (var run = 0; run < runs; run++)
        {
            await ovs.Ofctl("del-flows", bridge);
            var watch = Stopwatch.StartNew();
            await ovs.Ofctl("--bundle", "add-flows", bridge, file);
            ofctl.Add(watch.Elapsed.TotalMilliseconds);
            ofctlTable ??= await DumpTable(ovs, bridge);

            await ovs.Ofctl("del-flows", bridge);
            watch.Restart();
            await oursSwitch.ApplyAsync(operations, CancellationToken.None);
            ours.Add(watch.Elapsed.TotalMilliseconds);
            oursTable ??= await DumpTable(ovs, bridge);
        }
        var same = ofctlTable == oursTable;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ovs-ofctl --bundle add-flows (process start to exit): median {Median(ofctl):F0} ms  runs {Join(ofctl)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"our client, one bundle (open, adds, barrier, commit):  median {Median(ours):F0} ms  runs {Join(ours)}"));
        Console.WriteLine($"installed tables identical: {(same ? "yes" : "NO")} ({ofctlTable?.Split('\n').Length ?? 0} lines)");
        if (!same) throw new InvalidOperationException("our bundle installed something other than ovs-ofctl did");
        await ovs.Ofctl("del-flows", bridge);
    }

    private static async Task Incremental(OvsSandbox ovs, string bridge, string target, int changes)
    {
        Console.WriteLine($"\n== one rule added to a host with 10,000 endpoints and 100 rules ({changes} changes, each on top of the last)");
        var state = BenchHostState.Build(10_000, 100);
        await using var connection = await OpenFlowConnection.ConnectAsync(target);
        var session = new OpenFlowSwitch(connection);
        var installed = FlowCompiler.Compile(state, 1);
        var initial = Stopwatch.StartNew();
        await session.ApplyAsync(FlowDiff.RoundSwap(installed, [], []).Operations, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"initial install: {installed.Count} flows, {installed.Groups.Length} groups in {initial.Elapsed.TotalMilliseconds:F0} ms"));

        var compile = new List<double>();
        var diff = new List<double>();
        var apply = new List<double>();
        var total = new List<double>();
        var policy = state.Policies[1];
        for (var i = 0; i < changes; i++)
        {
            var rule = BenchHostState.Rule((uint)(10_000 + i), 20 * (100 + i)) with { Port = (ushort)(20_000 + i) };
            policy = policy with { Rules = policy.Rules.Add(rule.Id, rule) };
            state = state.WithPolicy(policy);

            var watch = Stopwatch.StartNew();
            var desired = FlowCompiler.Compile(state, 1);
            var compiled = watch.Elapsed.TotalMilliseconds;
            var operations = FlowDiff.Diff(desired, installed.Flows, installed.Groups).Operations();
            var diffed = watch.Elapsed.TotalMilliseconds;
            await session.ApplyAsync(operations, CancellationToken.None);
            var applied = watch.Elapsed.TotalMilliseconds;
            if (operations.Length == 0) throw new InvalidOperationException("a new rule changed no flow");
            compile.Add(compiled);
            diff.Add(diffed - compiled);
            apply.Add(applied - diffed);
            total.Add(applied);
            installed = desired;
        }
        var flowsNow = (await ovs.Ofctl("dump-flows", bridge, "--no-stats")).Split('\n').Count(l => l.Contains("priority="));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compile median {Median(compile):F0} ms, diff median {Median(diff):F0} ms, apply median {Median(apply):F1} ms, total median {Median(total):F0} ms, p90 {LatencyStats.FromMs(total).P90Ms:F0} ms"));
        Console.WriteLine($"switch holds {flowsNow} flows; compiled {installed.Count}: {(flowsNow == installed.Count ? "equal" : "DIFFERENT")}");
        if (flowsNow != installed.Count) throw new InvalidOperationException("the switch does not hold the compiled flow set");
    }

    private static async Task<string> DumpTable(OvsSandbox ovs, string bridge)
    {
        var lines = (await ovs.Ofctl("dump-flows", bridge, "--no-stats")).Split('\n')
            .Where(l => l.Contains("priority=")).Select(l => l.Trim()).Order(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> samples) => LatencyStats.FromMs(samples).MedianMs;

    private static string Join(List<double> samples) => string.Join(' ', samples.Select(s => s.ToString("F0", CultureInfo.InvariantCulture)));
}
