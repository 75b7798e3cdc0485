using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Contiv.Lab;

namespace Contiv.Bench.Masters;

/// <summary>One kill -9 and what followed.</summary>
public sealed record HandOverRun(
    int Run,
    int Victim,
    bool VictimWasOldest,
    IReadOnlyList<string> VictimTenants,
    string Tenant,
    int Via,
    double Seconds,
    int Attempts,
    IReadOnlyDictionary<string, int> FailedAttempts,
    IReadOnlyList<LoggedStep> Steps,
    int? NowServedBy,
    double RestartSeconds);

/// <summary>
/// Hand-over time of issue #5: 3 masters on PostgreSQL; kill -9 one that hosts a tenant and time
/// until a write to that tenant succeeds through a survivor. The oldest master (it hosts the shard
/// coordinators and the state feed) and a younger one are killed in turn, since their hand-overs differ.
/// </summary>
public static class HandOverBench
{
    private static readonly TimeSpan AttemptEvery = TimeSpan.FromMilliseconds(50);
    // Short, and attempts overlap: a write sent while the shard still points at the dead master is lost
    // and would blind a sequential loop for its whole timeout.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);
    // After a restart the coordinator moves shards back to the restarted master (every 10 s, a few at a
    // time); reading the placement and killing in the middle of that would time a rebalance too.
    private static readonly TimeSpan SettleAfterRestart = TimeSpan.FromSeconds(5);
    // The steps a survivor logs after the first write succeeded (singletons) are still part of the picture.
    private static readonly TimeSpan LogTail = TimeSpan.FromSeconds(1);
    private const int ExtraTenantsAtMost = 24;

    public static string TenantName(int k) => $"ho{k}";

    public static async Task<IReadOnlyList<HandOverRun>> RunAsync(MastersOptions o, TextWriter w, CancellationToken cancel)
    {
        w.WriteLine("starting 3 masters on a private PostgreSQL (Contiv.Lab MasterCluster) ...");
        var starting = Stopwatch.StartNew();
        await using var cluster = await MasterCluster.StartAsync(3, cancellation: cancel);
        w.WriteLine($"cluster up in {starting.Elapsed.TotalSeconds:F1} s");
        foreach (var m in cluster.Masters) w.WriteLine($"  master {m.Index}: {m.Seed}, REST {m.RestUrl}, pid {m.Process.Pid}");

        var clients = cluster.Masters.Select(m => new BenchHttpClient(m.RestUrl, newConnectionPerRequest: false, maxConnections: 64)).ToArray();
        try
        {
            var tenants = new List<string>();
            for (var k = 0; k < o.Tenants; k++)
            {
                tenants.Add(TenantName(k));
                await clients[k % clients.Length].SendAsync(Workload.NewTenant(TenantName(k)), cancel);
            }
            // masters[0] is the first seed: it forms the cluster, so it is the oldest until it dies.
            var upOrder = cluster.Masters.Select(m => m.Index).ToList();
            var runs = new List<HandOverRun>();
            for (var r = 0; r < o.Runs; r++)
            {
                var run = await OneRunAsync(cluster, clients, tenants, upOrder, r, o.PrintLogs ? w : null, cancel);
                runs.Add(run);
                upOrder.Remove(run.Victim);
                upOrder.Add(run.Victim);
                MastersReport.PrintHandOverRun(w, run);
            }
            return runs;
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private static async Task<HandOverRun> OneRunAsync(MasterCluster cluster, BenchHttpClient[] clients, List<string> tenants,
        List<int> upOrder, int run, TextWriter? logs, CancellationToken cancel)
    {
        var placement = new Dictionary<string, int?>();
        foreach (var tenant in tenants) placement[tenant] = await ServedByAsync(cluster, tenant, cancel);
        var oldest = Oldest(cluster, upOrder);
        var wantOldest = run % 2 == 0;
        var victim = Pick(cluster, placement, oldest, wantOldest, run);
        // New tenants go to the region with the fewest shards, typically the master restarted last.
        for (var extras = 0; victim is null && extras < ExtraTenantsAtMost; extras++)
        {
            var extra = TenantName(tenants.Count);
            await clients[0].SendAsync(Workload.NewTenant(extra), cancel);
            tenants.Add(extra);
            placement[extra] = await ServedByAsync(cluster, extra, cancel);
            victim = Pick(cluster, placement, oldest, wantOldest, run);
        }
        victim ??= Pick(cluster, placement, oldest, !wantOldest, run)
                   ?? throw new InvalidOperationException("no master hosts a tenant");

        var victimTenants = placement.Where(p => p.Value == victim).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var survivors = cluster.Masters.Where(m => m.Index != victim).ToList();
        var via = survivors[run % survivors.Count];
        var op = Workload.Policy(run, victimTenants[0]);

        var killUtc = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        await cluster.Masters[victim.Value].KillHardAsync();
        var (seconds, attempts, failed) = await FirstWriteAsync(clients[via.Index], op, clock, cancel);

        await Task.Delay(LogTail, cancel);
        var steps = MasterLogs.HandOverSteps(survivors.Select(m => (m.Index, m.Process.Output)), killUtc, DateTime.UtcNow);
        if (logs is not null) PrintLogs(logs, survivors, killUtc, killUtc.AddSeconds(seconds) + LogTail);
        var nowServedBy = await ServedByAsync(cluster, victimTenants[0], cancel);

        var restart = Stopwatch.StartNew();
        await cluster.Masters[victim.Value].StartAsync();
        await cluster.WaitForMastersUpAsync(3, TimeSpan.FromSeconds(90));
        var restartSeconds = restart.Elapsed.TotalSeconds;
        await Task.Delay(SettleAfterRestart, cancel);

        return new HandOverRun(run + 1, victim.Value, victim == oldest, victimTenants, victimTenants[0], via.Index,
            seconds, attempts, failed, steps, nowServedBy, restartSeconds);
    }

    /// <summary>A new attempt every 50 ms, each with its own 2 s timeout, until one answers 200; seconds since the kill.</summary>
    private static async Task<(double Seconds, int Attempts, IReadOnlyDictionary<string, int> Failed)> FirstWriteAsync(
        BenchHttpClient http, Operation op, Stopwatch sinceKill, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var firstOk = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failed = new ConcurrentDictionary<string, int>();
        var inFlight = new List<Task>();

        async Task AttemptAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            timeout.CancelAfter(AttemptTimeout);
            try
            {
                await http.SendAsync(op, timeout.Token);
                firstOk.TrySetResult(sinceKill.Elapsed.TotalSeconds);
            }
            catch (RequestFailedException e)
            {
                failed.AddOrUpdate(Reason(e), 1, (_, n) => n + 1);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                failed.AddOrUpdate($"no answer in {AttemptTimeout.TotalSeconds:0} s", 1, (_, n) => n + 1);
            }
            catch (OperationCanceledException)
            {
                // still waiting when another attempt succeeded: not a failure
            }
        }

        try
        {
            while (!firstOk.Task.IsCompleted)
            {
                if (sinceKill.Elapsed > GiveUpAfter)
                    throw new TimeoutException($"no write to {op.Path} succeeded within {GiveUpAfter.TotalSeconds:0} s of the kill " +
                                               $"({string.Join(", ", failed.Select(f => $"{f.Value} x {f.Key}"))})");
                inFlight.Add(AttemptAsync());
                await Task.WhenAny(firstOk.Task, Task.Delay(AttemptEvery, cancel));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(inFlight);
        }
        return (await firstOk.Task, inFlight.Count, failed);
    }

    private static string Reason(RequestFailedException e) =>
        Regex.Match(e.Message, @"HTTP \d{3}") is { Success: true } status ? status.Value : "no reply";

    /// <summary>Among the masters of the wanted kind (oldest or younger) that host a tenant, alternating from run to run.</summary>
    private static int? Pick(MasterCluster cluster, Dictionary<string, int?> placement, int oldest, bool wantOldest, int run)
    {
        var candidates = cluster.Masters.Select(m => m.Index)
            .Where(i => (i == oldest) == wantOldest && placement.Values.Contains(i)).ToList();
        return candidates.Count == 0 ? null : candidates[run / 2 % candidates.Count];
    }

    /// <summary>
    /// The master holding the state-feed singleton by its own log; the one up longest by our count if
    /// the logs do not say (exactly one running master should).
    /// </summary>
    private static int Oldest(MasterCluster cluster, List<int> upOrder)
    {
        var claimed = cluster.Masters.Where(m => m.IsRunning && MasterLogs.SaysOldest(m.Process.Output)).Select(m => m.Index).ToList();
        var counted = upOrder.First(i => cluster.Masters[i].IsRunning);
        if (claimed.Count == 1 && claimed[0] != counted)
            Console.Error.WriteLine($"note: master {claimed[0]} holds the singletons, though master {counted} has been up longest");
        return claimed.Count == 1 ? claimed[0] : counted;
    }

    /// <summary>The master whose tenant entity answers the inspect (its "servedBy"), asked through any running master.</summary>
    private static async Task<int?> ServedByAsync(MasterCluster cluster, string tenant, CancellationToken cancel)
    {
        var through = cluster.Masters.First(m => m.IsRunning);
        using var doc = JsonDocument.Parse(await through.Http.GetStringAsync($"/api/v1/inspect/tenants/{tenant}/", cancel));
        var servedBy = doc.RootElement.GetProperty("Oper").GetProperty("servedBy").GetString();
        return cluster.Masters.FirstOrDefault(m => m.Seed == servedBy)?.Index;
    }

    private static void PrintLogs(TextWriter w, IEnumerable<ClusterMaster> survivors, DateTime fromUtc, DateTime toUtc)
    {
        var lines = survivors.SelectMany(m => MasterLogs.Between(m.Process.Output, fromUtc, toUtc).Select(l => (l.Utc, Line: $"m{m.Index} {l.Line}")));
        w.WriteLine($"  -- survivors' log lines from the kill ({fromUtc:HH:mm:ss.fff}Z) to 1 s after the first write --");
        foreach (var (_, line) in lines.OrderBy(l => l.Utc)) w.WriteLine($"  {line}");
    }
}
