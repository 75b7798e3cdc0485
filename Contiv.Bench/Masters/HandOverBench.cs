using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
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

    /// <summary>Adds each run to <paramref name="runs"/> as it completes, so that a later failure keeps the earlier figures.</summary>
    public static async Task RunAsync(MastersOptions o, TextWriter w, List<HandOverRun> runs, CancellationToken cancel)
    {
        w.WriteLine("starting 3 masters on a private PostgreSQL (Contiv.Lab MasterCluster) ...");
        var starting = Stopwatch.StartNew();
        await using var cluster = await MasterCluster.StartAsync(3, cancellation: cancel);
        w.WriteLine($"cluster up in {starting.Elapsed.TotalSeconds:F1} s");
        foreach (var m in cluster.Masters) w.WriteLine($"  master {m.Index}: {m.Seed}, REST {m.RestUrl}, pid {m.Process.Pid}");

        var session = new Session(cluster, [.. cluster.Masters.Select(m => new BenchHttpClient(m.RestUrl, newConnectionPerRequest: false, maxConnections: 64))],
            w, o.PrintLogs);
        try
        {
            for (var k = 0; k < o.Tenants; k++)
                await session.AddTenantAsync(cancel);
            for (var r = 0; r < o.Runs; r++)
            {
                var run = await OneRunAsync(session, r, cancel);
                runs.Add(run);
                MastersReport.PrintHandOverRun(w, run);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            w.WriteLine($"hand-over failed; every master's output is in {session.SaveLogs()}");
            throw;
        }
        finally
        {
            foreach (var client in session.Clients) client.Dispose();
        }
    }

    /// <summary>What the runs share: the cluster, a client per master, the tenants, who has been up longest, earlier lives' logs.</summary>
    private sealed class Session(MasterCluster cluster, BenchHttpClient[] clients, TextWriter w, bool printLogs)
    {
        public MasterCluster Cluster => cluster;
        public BenchHttpClient[] Clients => clients;
        public TextWriter Out => w;
        public bool PrintLogs => printLogs;
        public List<string> Tenants { get; } = [];

        // masters[0] is the first seed: it forms the cluster, so it is the oldest until it dies.
        public List<int> UpOrder { get; } = [.. cluster.Masters.Select(m => m.Index)];

        private readonly Dictionary<int, StringBuilder> _earlierLives =
            cluster.Masters.ToDictionary(m => m.Index, _ => new StringBuilder());

        public async Task<string> AddTenantAsync(CancellationToken cancel)
        {
            var tenant = TenantName(Tenants.Count);
            await clients[Tenants.Count % clients.Length].SendAsync(Workload.NewTenant(tenant), cancel);
            Tenants.Add(tenant);
            return tenant;
        }

        /// <summary>Starts the killed master again (its output so far is kept) and waits for the cluster to be whole.</summary>
        public async Task<double> RestartAsync(int index, CancellationToken cancel)
        {
            var master = cluster.Masters[index];
            _earlierLives[index].Append(master.Process.Output).AppendLine("---- killed (kill -9) and started again ----");
            var restart = Stopwatch.StartNew();
            await master.StartAsync();
            await cluster.WaitForMastersUpAsync(3, TimeSpan.FromSeconds(90));
            UpOrder.Remove(index);
            UpOrder.Add(index);
            var seconds = restart.Elapsed.TotalSeconds;
            await Task.Delay(SettleAfterRestart, cancel);
            return seconds;
        }

        /// <summary>Every master's output, all lives, in files of a new temporary directory; returns the directory.</summary>
        public string SaveLogs()
        {
            var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"contiv-bench-masters-{DateTime.UtcNow:yyyyMMdd-HHmmss}")).FullName;
            foreach (var m in cluster.Masters)
                File.WriteAllText(Path.Combine(dir, $"master{m.Index}.log"), _earlierLives[m.Index] + SafeOutput(m));
            return dir;
        }

        private static string SafeOutput(ClusterMaster m)
        {
            try { return m.Process.Output; }
            catch (InvalidOperationException) { return ""; } // never started
        }
    }

    private static async Task<HandOverRun> OneRunAsync(Session session, int run, CancellationToken cancel)
    {
        var cluster = session.Cluster;
        var placement = new Dictionary<string, int?>();
        foreach (var tenant in session.Tenants) placement[tenant] = await TenantPlacement.ServedByAsync(cluster, tenant, session.Out, cancel);
        var oldest = TenantPlacement.Oldest(cluster, session.UpOrder, session.Out);
        var wantOldest = run % 2 == 0;
        var victim = TenantPlacement.Pick(cluster, placement, oldest, wantOldest, run);
        // New tenants go to the region with the fewest shards, typically the master restarted last.
        for (var extras = 0; victim is null && extras < ExtraTenantsAtMost; extras++)
        {
            var extra = await session.AddTenantAsync(cancel);
            placement[extra] = await TenantPlacement.ServedByAsync(cluster, extra, session.Out, cancel);
            victim = TenantPlacement.Pick(cluster, placement, oldest, wantOldest, run);
        }
        victim ??= TenantPlacement.Pick(cluster, placement, oldest, !wantOldest, run)
                   ?? throw new InvalidOperationException("no master serves a tenant");

        var victimTenants = placement.Where(p => p.Value == victim).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var survivors = cluster.Masters.Where(m => m.Index != victim).ToList();
        var via = survivors[run % survivors.Count];
        var op = Workload.Policy(run, victimTenants[0]);

        var killUtc = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        await cluster.Masters[victim.Value].KillHardAsync();
        var (seconds, attempts, failed) = await FirstWriteAsync(session.Clients[via.Index], op, clock, cancel);

        await Task.Delay(LogTail, cancel);
        var steps = MasterLogs.HandOverSteps(survivors.Select(m => (m.Index, m.Process.Output)), killUtc, DateTime.UtcNow);
        if (session.PrintLogs) PrintLogs(session.Out, survivors, killUtc, killUtc.AddSeconds(seconds) + LogTail);
        var nowServedBy = await TenantPlacement.ServedByAsync(cluster, victimTenants[0], session.Out, cancel);
        var restartSeconds = await session.RestartAsync(victim.Value, cancel);

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

    private static void PrintLogs(TextWriter w, IEnumerable<ClusterMaster> survivors, DateTime fromUtc, DateTime toUtc)
    {
        var lines = survivors.SelectMany(m => MasterLogs.Between(m.Process.Output, fromUtc, toUtc).Select(l => (l.Utc, Line: $"m{m.Index} {l.Line}")));
        w.WriteLine($"  -- survivors' log lines from the kill ({fromUtc:HH:mm:ss.fff}Z) to 1 s after the first write --");
        foreach (var (_, line) in lines.OrderBy(l => l.Utc)) w.WriteLine($"  {line}");
    }
}
