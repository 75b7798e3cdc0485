using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Contiv.Lab;

namespace Contiv.Bench.Masters;

/// <summary>Which master serves which tenant, and which master is the oldest: what a hand-over run picks its victim by.</summary>
public static class TenantPlacement
{
    // A tenant that does not answer an inspect for this long is a failure of the cluster, not of the benchmark's patience.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The master whose tenant entity answers the inspect (its "servedBy"), asked through the first running
    /// master. An inspect that fails (503 once the master's 15 s request timeout passed) is retried, and
    /// said on <paramref name="notes"/>: a tenant unavailable while no master is down is a finding too.
    /// </summary>
    public static async Task<int?> ServedByAsync(MasterCluster cluster, string tenant, TextWriter notes, CancellationToken cancel)
    {
        var waiting = Stopwatch.StartNew();
        string? lastProblem = null;
        while (true)
        {
            var through = cluster.Masters.First(m => m.IsRunning);
            try
            {
                using var doc = JsonDocument.Parse(await through.Http.GetStringAsync($"/api/v1/inspect/tenants/{tenant}/", cancel));
                var servedBy = doc.RootElement.GetProperty("Oper").GetProperty("servedBy").GetString();
                if (lastProblem is not null)
                    notes.WriteLine($"  note: inspect of tenant {tenant} answered only after {waiting.Elapsed.TotalSeconds:F1} s (before: {lastProblem})");
                return cluster.Masters.FirstOrDefault(m => m.Seed == servedBy)?.Index;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
            {
                lastProblem = $"{(e is HttpRequestException { StatusCode: HttpStatusCode status } ? $"HTTP {(int)status}" : e.Message)} " +
                              $"through master {through.Index} at {waiting.Elapsed.TotalSeconds:F1} s";
                if (waiting.Elapsed > GiveUpAfter)
                    throw new TimeoutException($"tenant {tenant} did not answer an inspect within {GiveUpAfter.TotalSeconds:0} s: {lastProblem}", e);
                await Task.Delay(RetryAfter, cancel);
            }
        }
    }

    /// <summary>Among the masters of the wanted kind (oldest or younger) that serve a tenant, alternating from run to run.</summary>
    public static int? Pick(MasterCluster cluster, Dictionary<string, int?> placement, int oldest, bool wantOldest, int run)
    {
        var candidates = cluster.Masters.Select(m => m.Index)
            .Where(i => (i == oldest) == wantOldest && placement.Values.Contains(i)).ToList();
        return candidates.Count == 0 ? null : candidates[run / 2 % candidates.Count];
    }

    /// <summary>
    /// The master holding the state-feed singleton by its own log; the one up longest by our count if
    /// the logs do not say (exactly one running master should).
    /// </summary>
    public static int Oldest(MasterCluster cluster, List<int> upOrder, TextWriter notes)
    {
        var claimed = cluster.Masters.Where(m => m.IsRunning && MasterLogs.SaysOldest(m.Process.Output)).Select(m => m.Index).ToList();
        var counted = upOrder.First(i => cluster.Masters[i].IsRunning);
        if (claimed.Count == 1 && claimed[0] != counted)
            notes.WriteLine($"  note: master {claimed[0]} holds the singletons, though master {counted} has been up longest");
        return claimed.Count == 1 ? claimed[0] : counted;
    }
}
