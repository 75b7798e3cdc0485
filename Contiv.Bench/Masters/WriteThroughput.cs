using System.Diagnostics;

namespace Contiv.Bench.Masters;

/// <summary>What one configuration (1 master on SQLite, ...) did under the concurrent writers.</summary>
public sealed record ThroughputResult(
    string Configuration,
    int Writes,
    int Failed,
    int WarmupFailed,
    double WallSeconds,
    LatencyStats All,
    IReadOnlyDictionary<OpKind, LatencyStats> ByKind,
    IReadOnlyList<string> FailureSamples,
    string LoadBefore,
    string LoadAfter)
{
    /// <summary>Answered writes per second: a failed write is not throughput.</summary>
    public double WritesPerSecond => WallSeconds > 0 ? (Writes - Failed) / WallSeconds : 0;
}

/// <summary>
/// REST write throughput against one or more masters. The work is cut into units of five writes
/// (network, policy, two rules of it, a group on both: each refers to the ones before, so a unit
/// goes in order through one client); units go round-robin over the tenants, because a tenant is
/// one entity and only several tenants spread over several masters. Clients take the next unit
/// from a shared counter and each talks to one master (client c to master c mod n).
/// </summary>
public static class WriteThroughput
{
    public const int WritesPerUnit = 5;

    public static string TenantName(int k) => $"bt{k}";

    /// <summary>Unit u (unique across tenants: it also picks the network's subnet).</summary>
    public static Operation[] Unit(int u, string tenant) =>
    [
        Workload.Network(u, tenant),
        Workload.Policy(u, tenant),
        Workload.Rule(u, 0, tenant),
        Workload.Rule(u, 1, tenant),
        Workload.Group(u, tenant),
    ];

    public static int UnitsFor(int writes) => (writes + WritesPerUnit - 1) / WritesPerUnit;

    public static async Task<ThroughputResult> MeasureAsync(
        string configuration, IReadOnlyList<Uri> masters, MastersOptions o, CancellationToken cancel)
    {
        var perMaster = (o.Clients + masters.Count - 1) / masters.Count;
        var clients = masters.Select(m => new BenchHttpClient(m, newConnectionPerRequest: false, perMaster)).ToArray();
        try
        {
            // Tenants are set-up, not measured: a failure here is fatal (SendAsync throws).
            for (var k = 0; k < o.Tenants; k++)
                await clients[k % clients.Length].SendAsync(Workload.NewTenant(TenantName(k)), cancel);

            var warmupUnits = UnitsFor(o.Warmup);
            var warmupFailures = new FailureLog();
            await RunUnitsAsync(clients, o, first: 0, count: warmupUnits, Recorders(o.Clients), warmupFailures, cancel);

            var loadBefore = LoadAverage();
            var recorders = Recorders(o.Clients);
            var failures = new FailureLog();
            var units = UnitsFor(o.Writes);
            var start = Stopwatch.GetTimestamp();
            await RunUnitsAsync(clients, o, first: warmupUnits, count: units, recorders, failures, cancel);
            var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;

            var merged = LatencyRecorder.Merge(recorders);
            return new ThroughputResult(
                configuration,
                units * WritesPerUnit,
                failures.Count,
                warmupFailures.Count,
                wall,
                LatencyStats.FromTicks(merged.AllSamples()),
                new[] { OpKind.Network, OpKind.Policy, OpKind.Rule, OpKind.Group }
                    .ToDictionary(k => k, k => LatencyStats.FromTicks(merged.Samples(k))),
                failures.Samples,
                loadBefore,
                LoadAverage());
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private static LatencyRecorder[] Recorders(int clients) =>
        Enumerable.Range(0, clients).Select(_ => new LatencyRecorder()).ToArray();

    private static Task RunUnitsAsync(BenchHttpClient[] clients, MastersOptions o, int first, int count,
        LatencyRecorder[] recorders, FailureLog failures, CancellationToken cancel) =>
        ScenarioRunner.RunPhaseAsync(o.Clients, count, async (worker, i, ct) =>
        {
            var http = clients[worker % clients.Length];
            var u = first + i;
            // The unit's later writes are still sent after a failure: each one is counted, none is hidden.
            foreach (var op in Unit(u, TenantName(u % o.Tenants)))
            {
                try { recorders[worker].Add(op.Kind, await http.SendAsync(op, ct)); }
                catch (RequestFailedException e) { failures.Add(e.Message); }
            }
        }, cancel);

    /// <summary>The 1-minute load average: the machine may be shared with other work while we measure.</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}

/// <summary>Failed writes: how many, and the first few messages to show.</summary>
public sealed class FailureLog
{
    private const int KeptSamples = 5;
    private readonly List<string> _samples = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<string> Samples { get { lock (_samples) return [.. _samples]; } }

    public void Add(string message)
    {
        Interlocked.Increment(ref _count);
        lock (_samples)
            if (_samples.Count < KeptSamples) _samples.Add(message);
    }
}
