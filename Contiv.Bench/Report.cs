using System.Text.Json;
using System.Text.Json.Serialization;

namespace Contiv.Bench;

/// <summary>Aligned text tables per scenario, a summary, and the JSON dump of every figure.</summary>
public static class Report
{
    private static readonly OpKind[] Kinds = [OpKind.Network, OpKind.Policy, OpKind.Rule]; // what `rest` writes
    private static readonly ReadKind[] ReadKinds = Enum.GetValues<ReadKind>();
    private static readonly ReadKind[] ListKinds = [.. ReadKinds.Where(k => Workload.OriginalMedianMs(k) is not null)];

    public static string Name(OpKind kind) => kind.ToString().ToLowerInvariant();

    public static void PrintHeader(TextWriter w, BenchOptions o)
    {
        var s = o.Shape;
        w.WriteLine($"Contiv.Bench rest: {s.Networks} networks, {s.Policies} policies x {s.RulesPerPolicy} rules " +
                    $"= {s.WriteRequests} writes per scenario; scenarios {string.Join(",", o.Scenarios)}; " +
                    $"{o.Clients} clients in scenario 3");
        w.WriteLine($"tenants: {s.Tenants} (\"default\" with the workload" +
                    (s.ExtraTenants > 0 ? $", t1..t{s.ExtraTenants} with one network each, created first, not measured)" : ")") +
                    $"; reads: {s.Reads} x {ReadKinds.Length} kinds = {s.ReadRequests} GETs after the writes, sequential");
        w.WriteLine(o.Master is null
            ? "master: a fresh contiv-master process per scenario (SQLite journal in a new temp dir)"
            : $"master: {o.Master} (already running; not restarted between scenarios)");
        w.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                    $".NET {Environment.Version}");
        w.WriteLine("latencies in ms, from sending the request until the whole reply is read; " +
                    "speedup = original netmaster+etcd median / our median (goal >= 10x; lists: the original's " +
                    "figures are of 300 networks and 300 policies x 4 rules)");
    }

    public static void PrintScenarioStart(TextWriter w, ScenarioSpec spec, MasterInfo master)
    {
        w.WriteLine();
        w.WriteLine($"== Scenario {spec.Number}: {spec.Title} ==");
        w.WriteLine(master.Fresh
            ? $"master: pid {master.Pid}, {master.Address}, ready in {master.StartupSeconds:F2} s"
            : $"master: {master.Address}{(master.Pid is { } pid ? $", pid {pid}" : "")}");
    }

    public static void PrintScenario(TextWriter w, ScenarioResult r)
    {
        var m = r.Measurement;
        w.WriteLine($"{"kind",-8} {"count",6} {"median",8} {"p90",8} {"p99",8} {"max",8} {"mean",8}  {"original",8} {"speedup",8}");
        foreach (var kind in Kinds)
        {
            var s = m.ByKind[kind];
            var speedup = r.Speedup(kind);
            var verdict = speedup >= Workload.SpeedupGoal ? "ok" : "below goal";
            w.WriteLine($"{Name(kind),-8} {LatencyCells(s)}  {Workload.OriginalMedianMs(kind),8:F2} {speedup,7:F1}x {verdict}");
        }
        w.WriteLine($"{"all",-8} {LatencyCells(m.All)}");
        w.WriteLine();
        w.WriteLine($"{"phase",-18} {"requests",8} {"wall s",9} {"req/s",10} {"ms/req",8}");
        foreach (var p in m.Phases)
            w.WriteLine($"{p.Name,-18} {p.Requests,8} {p.WallSeconds,9:F3} {p.RequestsPerSecond,10:F1} {p.MsPerRequest,8:F3}");
        PrintReads(w, r);
        w.WriteLine();
        var c = r.Connections;
        w.WriteLine($"TCP connections opened: {c.Opened} (expected {c.Expected}) {(c.Ok ? "ok" : c.Fatal ? "FAILED" : "unexpected")}");
        w.WriteLine($"wall time: {m.WallSeconds:F3} s; master RSS after the scenario: {Rss(r.Master.MemoryAfter)}");
    }

    private static void PrintReads(TextWriter w, ScenarioResult r)
    {
        var reads = r.Measurement.Reads;
        if (r.Shape.Reads == 0) return;
        w.WriteLine();
        w.WriteLine($"{"read",-16} {"count",6} {"median",8} {"p90",8} {"p99",8} {"max",8} {"mean",8} {"items",6}  {"original",8} {"speedup",8}");
        foreach (var kind in ReadKinds)
        {
            var items = reads.ListItems.TryGetValue(kind, out var n) ? n.ToString() : "";
            var comparison = Workload.OriginalMedianMs(kind) is { } original && r.Speedup(kind) is { } speedup
                ? $"{original,8:F2} {speedup,7:F1}x {(speedup >= Workload.SpeedupGoal ? "ok" : "below goal")}"
                : $"{"-",8} {"-",8}";
            w.WriteLine($"{Workload.Name(kind),-16} {LatencyCells(reads.ByKind[kind])} {items,6}  {comparison}");
        }
        var p = reads.Phase;
        w.WriteLine($"reads: {p.Requests} GETs in {p.WallSeconds:F3} s ({p.RequestsPerSecond:F1} req/s)" +
                    (r.Measurement.TenantSetup.Requests > 0
                        ? $"; tenants set-up before the writes: {r.Measurement.TenantSetup.Requests} requests in {r.Measurement.TenantSetup.WallSeconds:F3} s"
                        : ""));
    }

    private static string LatencyCells(LatencyStats s) =>
        $"{s.Count,6} {s.MedianMs,8:F2} {s.P90Ms,8:F2} {s.P99Ms,8:F2} {s.MaxMs,8:F2} {s.MeanMs,8:F2}";

    private static string Rss(MemoryUsage? m) =>
        m is null ? "n/a" : $"{m.RssMiB:F1} MiB (peak {m.PeakRssMiB:F1} MiB)";

    public static void PrintSummary(TextWriter w, IReadOnlyList<ScenarioResult> results)
    {
        if (results.Count == 0) return;
        w.WriteLine();
        w.WriteLine("== Summary (median ms; speedup vs original) ==");
        w.WriteLine($"{"scenario",-44} {"network",14} {"policy",14} {"rule",14} {"req/s",9} {"wall s",8} {"RSS MiB",8}");
        foreach (var r in results)
        {
            var m = r.Measurement;
            var cells = string.Join(" ", Kinds.Select(k => $"{$"{m.ByKind[k].MedianMs:F2} ({r.Speedup(k):F1}x)",14}"));
            var total = m.Phases[^1];
            var rss = r.Master.MemoryAfter is { } mem ? $"{mem.RssMiB:F1}" : "n/a";
            w.WriteLine($"{$"{r.Spec.Number} {r.Spec.Title}",-44} {cells} {total.RequestsPerSecond,9:F1} {m.WallSeconds,8:F3} {rss,8}");
        }
        if (results.Any(r => r.Shape.Reads > 0))
        {
            w.WriteLine();
            w.WriteLine("reads (median ms; speedup vs original where it has a figure)");
            w.WriteLine($"{"scenario",-44} {string.Join(" ", ReadKinds.Select(k => $"{Workload.Name(k),15}"))}");
            foreach (var r in results)
            {
                var cells = ReadKinds.Select(k => r.Speedup(k) is { } speedup
                    ? $"{r.Measurement.Reads.ByKind[k].MedianMs:F2} ({speedup:F1}x)"
                    : $"{r.Measurement.Reads.ByKind[k].MedianMs:F2}");
                w.WriteLine($"{$"{r.Spec.Number} {r.Spec.Title}",-44} {string.Join(" ", cells.Select(c => $"{c,15}"))}");
            }
        }
        w.WriteLine();
        w.WriteLine(SummaryLine(results));
    }

    /// <summary>
    /// The goal is judged on scenario 1 (a new connection per request, sequential: how netctl and the
    /// original figures work), or on the first scenario run when scenario 1 was not.
    /// </summary>
    public static (ScenarioResult Reference, bool Met) Verdict(IReadOnlyList<ScenarioResult> results)
    {
        var reference = results.FirstOrDefault(r => r.Spec.Number == 1) ?? results[0];
        return (reference, Kinds.All(k => reference.Speedup(k) >= Workload.SpeedupGoal));
    }

    /// <summary>The lists' goal, on the same reference scenario as the writes'; null when nothing was read.</summary>
    public static bool? ListVerdict(IReadOnlyList<ScenarioResult> results)
    {
        var (reference, _) = Verdict(results);
        if (reference.Shape.Reads == 0) return null;
        return ListKinds.All(k => reference.Speedup(k) >= Workload.SpeedupGoal);
    }

    public static string SummaryLine(IReadOnlyList<ScenarioResult> results)
    {
        var (reference, met) = Verdict(results);
        var medians = string.Join(", ", Kinds.Select(k =>
            $"{Name(k)} {reference.Measurement.ByKind[k].MedianMs:F2} ms ({reference.Speedup(k):F1}x)"));
        var throughput = string.Join(", ", results.Select(r => $"s{r.Spec.Number} {r.Measurement.Phases[^1].RequestsPerSecond:F0}"));
        var rss = string.Join("/", results.Select(r => r.Master.MemoryAfter is { } m ? $"{m.RssMiB:F0}" : "n/a"));
        var lists = ListVerdict(results) is { } listsMet
            ? $"; read medians over {reference.Shape.Tenants} tenant(s) " +
              string.Join(", ", ListKinds.Select(k => $"{Workload.Name(k)} {reference.Measurement.Reads.ByKind[k].MedianMs:F2} ms ({reference.Speedup(k):F1}x)")) +
              $"; lists goal >= {Workload.SpeedupGoal:F0}x {(listsMet ? "MET" : "NOT MET")}"
            : "";
        return $"SUMMARY: scenario {reference.Spec.Number} medians {medians}; goal >= {Workload.SpeedupGoal:F0}x " +
               $"{(met ? "MET" : "NOT MET")}{lists}; throughput req/s {throughput}; master RSS MiB {rss}";
    }

    public static async Task WriteJsonAsync(string path, BenchOptions o, IReadOnlyList<ScenarioResult> results, string? error)
    {
        var doc = new
        {
            tool = "Contiv.Bench rest",
            startedUtc = DateTime.UtcNow.ToString("O"),
            machine = new
            {
                cpus = Environment.ProcessorCount,
                os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                dotnet = Environment.Version.ToString(),
            },
            options = new
            {
                networks = o.Networks,
                policies = o.Policies,
                rulesPerPolicy = o.RulesPerPolicy,
                clients = o.Clients,
                tenants = o.Tenants,
                reads = o.Reads,
                master = o.Master?.ToString(),
                scenarios = o.Scenarios,
            },
            original = Kinds.ToDictionary(Name, k => Workload.OriginalMedianMs(k)),
            speedupGoal = Workload.SpeedupGoal,
            originalReads = ListKinds.ToDictionary(Workload.Name, k => Workload.OriginalMedianMs(k)),
            goalMet = results.Count > 0 ? Verdict(results).Met : (bool?)null,
            listsGoalMet = results.Count > 0 ? ListVerdict(results) : null,
            summary = results.Count > 0 ? SummaryLine(results) : null,
            error,
            scenarios = results.Select(r => new
            {
                number = r.Spec.Number,
                title = r.Spec.Title,
                newConnectionPerRequest = r.Spec.NewConnectionPerRequest,
                clients = r.Spec.Clients,
                requests = r.Shape.WriteRequests,
                wallSeconds = r.Measurement.WallSeconds,
                kinds = Kinds.Select(k => new
                {
                    kind = Name(k),
                    stats = r.Measurement.ByKind[k],
                    originalMedianMs = Workload.OriginalMedianMs(k),
                    speedup = r.Speedup(k),
                }),
                all = r.Measurement.All,
                phases = r.Measurement.Phases.Select(p => new
                {
                    name = p.Name,
                    requests = p.Requests,
                    wallSeconds = p.WallSeconds,
                    requestsPerSecond = p.RequestsPerSecond,
                    msPerRequest = p.MsPerRequest,
                }),
                tenantSetup = new
                {
                    extraTenants = r.Shape.ExtraTenants,
                    requests = r.Measurement.TenantSetup.Requests,
                    wallSeconds = r.Measurement.TenantSetup.WallSeconds,
                },
                reads = new
                {
                    requests = r.Measurement.Reads.Phase.Requests,
                    wallSeconds = r.Measurement.Reads.Phase.WallSeconds,
                    kinds = ReadKinds.Select(k => new
                    {
                        kind = Workload.Name(k),
                        path = Workload.Reads.First(read => read.Kind == k).Path,
                        stats = r.Measurement.Reads.ByKind[k],
                        items = r.Measurement.Reads.ListItems.TryGetValue(k, out var n) ? n : (int?)null,
                        expectedItems = r.Shape.ExpectedItems(k),
                        originalMedianMs = Workload.OriginalMedianMs(k),
                        speedup = r.Speedup(k),
                    }),
                },
                connections = r.Connections,
                master = r.Master,
            }),
        };
        var json = JsonSerializer.Serialize(doc, new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        });
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(path, json + Environment.NewLine);
    }
}
