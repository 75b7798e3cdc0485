using System.Diagnostics;

namespace Contiv.Bench;

/// <summary>One of the three measured ways of driving the master.</summary>
public sealed record ScenarioSpec(int Number, string Title, bool NewConnectionPerRequest, int Clients)
{
    public static IReadOnlyList<ScenarioSpec> All(int clients) =>
    [
        new(1, "new connection per request, sequential", NewConnectionPerRequest: true, Clients: 1),
        new(2, "keep-alive, sequential", NewConnectionPerRequest: false, Clients: 1),
        new(3, $"{clients} concurrent clients, keep-alive", NewConnectionPerRequest: false, Clients: clients),
    ];
}

/// <summary>Wall time of one phase (all networks; then all policies with their rules).</summary>
public sealed record PhaseResult(string Name, int Requests, double WallSeconds)
{
    public double RequestsPerSecond => WallSeconds > 0 ? Requests / WallSeconds : 0;
    public double MsPerRequest => Requests > 0 ? WallSeconds * 1000.0 / Requests : 0;
}

/// <summary>
/// What one scenario measured, before the master is stopped. <see cref="ByKind"/>, <see cref="All"/>,
/// <see cref="Phases"/> and <see cref="WallSeconds"/> are the writes'; the tenants' set-up and the reads
/// have their own figures.
/// </summary>
public sealed record ScenarioMeasurement(
    IReadOnlyDictionary<OpKind, LatencyStats> ByKind,
    LatencyStats All,
    IReadOnlyList<PhaseResult> Phases,
    double WallSeconds,
    PhaseResult TenantSetup,
    ReadMeasurement Reads,
    long ConnectionsOpened);

/// <summary>The reads phase: latency per kind and how many items each list held (list kinds only).</summary>
public sealed record ReadMeasurement(
    IReadOnlyDictionary<ReadKind, LatencyStats> ByKind,
    IReadOnlyDictionary<ReadKind, int> ListItems,
    PhaseResult Phase);

/// <summary>
/// Runs the workload. Set-up (not measured): the extra tenants, each with its network, sequentially.
/// Phase 1 creates every network, phase 2 every policy each followed by its rules. With N clients,
/// N workers take the next item of a phase from a shared counter (so each does its share, and a
/// policy's rules are always sent after the policy, by the same worker); phase 2 starts when phase 1
/// is complete. The first failure cancels the other workers. Then the reads, sequentially on the
/// same client whatever the scenario's clients: a read's latency, not the master's read throughput.
/// </summary>
public static class ScenarioRunner
{
    /// <param name="exactListItems">
    /// A fresh master holds exactly the workload's objects; a running one (--master) may hold more,
    /// so its lists need only hold at least as many.
    /// </param>
    public static async Task<ScenarioMeasurement> RunAsync(
        ScenarioSpec spec, WorkloadShape shape, BenchHttpClient http, bool exactListItems, CancellationToken cancel)
    {
        var recorders = Enumerable.Range(0, spec.Clients).Select(_ => new LatencyRecorder()).ToArray();

        var setupStart = Stopwatch.GetTimestamp();
        for (var k = 1; k <= shape.ExtraTenants; k++)
        {
            await http.SendAsync(Workload.NewTenant(Workload.ExtraTenant(k)), cancel);
            await http.SendAsync(Workload.ExtraTenantNetwork(shape, k), cancel);
        }
        var tenantSetup = new PhaseResult("tenants set-up", shape.SetupRequests, Seconds(Stopwatch.GetTimestamp() - setupStart));

        var start = Stopwatch.GetTimestamp();
        await RunPhaseAsync(spec.Clients, shape.Networks, async (worker, i, ct) =>
            recorders[worker].Add(OpKind.Network, await http.SendAsync(Workload.Network(i), ct)), cancel);
        var networksDone = Stopwatch.GetTimestamp();

        await RunPhaseAsync(spec.Clients, shape.Policies, async (worker, i, ct) =>
        {
            foreach (var op in Workload.PolicyWithRules(i, shape.RulesPerPolicy))
                recorders[worker].Add(op.Kind, await http.SendAsync(op, ct));
        }, cancel);
        var end = Stopwatch.GetTimestamp();

        var merged = LatencyRecorder.Merge(recorders);
        var byKind = Enum.GetValues<OpKind>().ToDictionary(k => k, k => LatencyStats.FromTicks(merged.Samples(k)));
        foreach (var kind in Enum.GetValues<OpKind>())
        {
            if (byKind[kind].Count != shape.Count(kind))
                throw new InvalidOperationException($"recorded {byKind[kind].Count} {kind} samples, expected {shape.Count(kind)}");
        }

        var reads = await ReadAsync(shape, http, exactListItems, cancel);

        return new ScenarioMeasurement(
            byKind,
            LatencyStats.FromTicks(merged.AllSamples()),
            [
                new PhaseResult("networks", shape.Networks, Seconds(networksDone - start)),
                new PhaseResult("policies + rules", shape.Policies + shape.Rules, Seconds(end - networksDone)),
                new PhaseResult("total", shape.WriteRequests, Seconds(end - start)),
            ],
            Seconds(end - start),
            tenantSetup,
            reads,
            http.ConnectionsOpened);
    }

    /// <summary>
    /// <see cref="WorkloadShape.Reads"/> rounds of one GET of each kind: interleaved rather than all of
    /// one kind in a row, so that a slow moment of the machine (it is shared) does not fall on one kind only.
    /// Every list reply's length is checked, so no figure is of an empty or partial list.
    /// </summary>
    private static async Task<ReadMeasurement> ReadAsync(
        WorkloadShape shape, BenchHttpClient http, bool exactListItems, CancellationToken cancel)
    {
        var samples = Enum.GetValues<ReadKind>().ToDictionary(k => k, _ => new List<long>(shape.Reads));
        var listItems = new Dictionary<ReadKind, int>();
        var start = Stopwatch.GetTimestamp();
        for (var round = 0; round < shape.Reads; round++)
        {
            foreach (var read in Workload.Reads)
            {
                var (ticks, body) = await http.GetAsync(read, cancel);
                samples[read.Kind].Add(ticks);
                if (!read.IsList) continue;
                var items = CountItems(read, body);
                var expected = shape.ExpectedItems(read.Kind)!.Value;
                if (exactListItems ? items != expected : items < expected)
                    throw new RequestFailedException(read,
                        $"the list holds {items} items, expected {(exactListItems ? "" : "at least ")}{expected}");
                listItems[read.Kind] = items;
            }
        }
        var end = Stopwatch.GetTimestamp();
        return new ReadMeasurement(
            samples.ToDictionary(s => s.Key, s => LatencyStats.FromTicks(s.Value)),
            listItems,
            new PhaseResult("reads", shape.ReadRequests, Seconds(end - start)));
    }

    private static int CountItems(ReadOperation read, string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                throw new RequestFailedException(read, $"the reply is a JSON {json.RootElement.ValueKind}, not a list");
            return json.RootElement.GetArrayLength();
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new RequestFailedException(read, $"the reply is not JSON ({e.Message})", e);
        }
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    /// <summary>Items 0..count-1 shared among <paramref name="workers"/> workers; the first exception an item throws stops them all.</summary>
    internal static async Task RunPhaseAsync(
        int workers, int count, Func<int, int, CancellationToken, Task> item, CancellationToken cancel)
    {
        if (count == 0) return;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var next = -1;

        async Task Worker(int worker)
        {
            try
            {
                while (true)
                {
                    failed.Token.ThrowIfCancellationRequested();
                    var i = Interlocked.Increment(ref next);
                    if (i >= count) return;
                    await item(worker, i, failed.Token);
                }
            }
            catch
            {
                failed.Cancel(); // stop the others at once
                throw;
            }
        }

        var tasks = workers == 1
            ? [Worker(0)]
            : Enumerable.Range(0, Math.Min(workers, count)).Select(w => Task.Run(() => Worker(w))).ToArray();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            // Report the root cause, not the cancellations it caused in the other workers.
            var errors = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            var root = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            if (root is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(root);
            throw;
        }
    }
}

/// <summary>Latency samples (Stopwatch ticks) of one worker, per kind; merged after the run.</summary>
public sealed class LatencyRecorder
{
    private readonly Dictionary<OpKind, List<long>> _samples =
        Enum.GetValues<OpKind>().ToDictionary(k => k, _ => new List<long>());

    public void Add(OpKind kind, long ticks) => _samples[kind].Add(ticks);

    public IReadOnlyList<long> Samples(OpKind kind) => _samples[kind];

    public IEnumerable<long> AllSamples() => _samples.Values.SelectMany(s => s);

    public static LatencyRecorder Merge(IEnumerable<LatencyRecorder> recorders)
    {
        var merged = new LatencyRecorder();
        foreach (var r in recorders)
            foreach (var (kind, samples) in r._samples)
                merged._samples[kind].AddRange(samples);
        return merged;
    }
}
