namespace Contiv.Bench.Masters;

/// <summary>The text `masters` prints (invariant culture, set by MastersBench): each hand-over as it happens, then the tables and one SUMMARY line.</summary>
public static class MastersReport
{
    public const double HandOverGoalSeconds = 5.0;

    private static readonly OpKind[] WrittenKinds = [OpKind.Network, OpKind.Policy, OpKind.Rule, OpKind.Group];

    public static void PrintHeader(TextWriter w, MastersOptions o)
    {
        w.WriteLine($"Contiv.Bench masters: {(o.HandOver ? $"{o.Runs} hand-over runs" : "no hand-over")}, " +
                    $"{(o.Throughput ? $"throughput with {o.Clients} clients, {WriteThroughput.UnitsFor(o.Writes) * WriteThroughput.WritesPerUnit} writes" : "no throughput")}, {o.Tenants} tenants");
        w.WriteLine($"machine: {Environment.ProcessorCount} CPUs, load average {File.ReadAllText("/proc/loadavg").Trim()}, " +
                    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    public static void PrintHandOverRun(TextWriter w, HandOverRun r)
    {
        var failed = r.FailedAttempts.Count == 0 ? "none failed" : string.Join(", ", r.FailedAttempts.OrderBy(f => f.Key).Select(f => $"{f.Value} x {f.Key}"));
        var steps = r.Steps.Count == 0 ? "nothing" : string.Join(", ", r.Steps.Select(s => $"{s.Step} {s.Seconds:F2} s (m{s.Master})"));
        w.WriteLine(
            $"run {r.Run,2}: killed master {r.Victim} ({(r.VictimWasOldest ? "oldest" : "younger")}; hosted {string.Join(",", r.VictimTenants)}), " +
            $"wrote {r.Tenant} through master {r.Via}: 200 after {r.Seconds:F2} s, {r.Attempts} attempts ({failed}); " +
            $"survivors logged {steps}; {r.Tenant} now on master {r.NowServedBy?.ToString() ?? "?"}; " +
            $"master {r.Victim} back in {r.RestartSeconds:F1} s");
    }

    public static void PrintHandOverSummary(TextWriter w, IReadOnlyList<HandOverRun> runs)
    {
        if (runs.Count == 0) return;
        w.WriteLine();
        w.WriteLine("== Hand-over: kill -9 -> first 200 on a tenant of the killed master (3 masters, PostgreSQL); seconds ==");
        var stepNames = MasterLogs.Steps.Select(s => s.Step).ToList();
        w.WriteLine($"{"run",3} {"killed",6} {"oldest",6} {"via",3} {"hand-over",9} {"attempts",8} " +
                    string.Join(" ", stepNames.Select(s => $"{s,11}")) + $" {"now on",6}");
        foreach (var r in runs)
        {
            var steps = stepNames.Select(name => r.Steps.FirstOrDefault(s => s.Step == name) is { } s ? $"{s.Seconds,11:F2}" : $"{"-",11}");
            w.WriteLine($"{r.Run,3} {r.Victim,6} {(r.VictimWasOldest ? "yes" : "no"),6} {r.Via,3} {r.Seconds,9:F2} {r.Attempts,8} " +
                        string.Join(" ", steps) + $" {r.NowServedBy?.ToString() ?? "?",6}");
        }
        w.WriteLine(HandOverLine(runs));
    }

    public static string HandOverLine(IReadOnlyList<HandOverRun> runs)
    {
        string Stats(IEnumerable<HandOverRun> some)
        {
            var s = LatencyStats.FromMs(some.Select(r => r.Seconds * 1000));
            return s.Count == 0 ? "no runs" : $"p50 {s.MedianMs / 1000:F2} s, min {s.MinMs / 1000:F2} s, max {s.MaxMs / 1000:F2} s over {s.Count}";
        }
        var p50 = LatencyStats.FromMs(runs.Select(r => r.Seconds * 1000)).MedianMs / 1000;
        return $"hand-over: {Stats(runs)} runs (oldest killed: {Stats(runs.Where(r => r.VictimWasOldest))}; " +
               $"younger killed: {Stats(runs.Where(r => !r.VictimWasOldest))}); goal p50 <= {HandOverGoalSeconds:F0} s " +
               $"{(p50 <= HandOverGoalSeconds ? "MET" : "NOT MET")}";
    }

    public static void PrintThroughput(TextWriter w, MastersOptions o, IReadOnlyList<ThroughputResult> results)
    {
        if (results.Count == 0) return;
        w.WriteLine();
        w.WriteLine($"== REST write throughput: {o.Clients} keep-alive clients, {results[0].Writes} writes per configuration " +
                    $"(units of network, policy, 2 rules, group) over {o.Tenants} tenants, after {WriteThroughput.UnitsFor(o.Warmup) * WriteThroughput.WritesPerUnit} warm-up writes ==");
        w.WriteLine($"{"configuration",-24} {"writes",6} {"failed",6} {"wall s",7} {"writes/s",8} {"p50 ms",7} {"p99 ms",7} {"max ms",7} {"load 1m",11}");
        foreach (var r in results)
            w.WriteLine($"{r.Configuration,-24} {r.Writes,6} {r.Failed,6} {r.WallSeconds,7:F2} {r.WritesPerSecond,8:F1} " +
                        $"{r.All.MedianMs,7:F2} {r.All.P99Ms,7:F2} {r.All.MaxMs,7:F2} {$"{r.LoadBefore}->{r.LoadAfter}",11}");
        w.WriteLine("per kind, p50 / p99 ms:");
        foreach (var r in results)
            w.WriteLine($"  {r.Configuration,-24} " + string.Join("  ", WrittenKinds.Select(k =>
                $"{Report.Name(k)} {r.ByKind[k].MedianMs:F2} / {r.ByKind[k].P99Ms:F2}")));
        foreach (var r in results.Where(r => r.Failed + r.WarmupFailed > 0))
        {
            w.WriteLine($"FAILED writes in {r.Configuration}: {r.Failed} measured, {r.WarmupFailed} in the warm-up; first ones:");
            foreach (var sample in r.FailureSamples) w.WriteLine($"  {sample.Replace("\n", "\n  ")}");
        }
    }

    public static string SummaryLine(IReadOnlyList<HandOverRun> runs, IReadOnlyList<ThroughputResult> results)
    {
        var parts = new List<string>();
        if (runs.Count > 0) parts.Add(HandOverLine(runs));
        if (results.Count > 0)
            parts.Add("writes/s " + string.Join(", ", results.Select(r => $"{r.Configuration} {r.WritesPerSecond:F0} (p50 {r.All.MedianMs:F1} ms, p99 {r.All.P99Ms:F1} ms)")) +
                      $"; failed writes {results.Sum(r => r.Failed + r.WarmupFailed)}");
        return "SUMMARY: " + string.Join("; ", parts);
    }
}
