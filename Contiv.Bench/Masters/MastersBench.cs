using System.Diagnostics;
using System.Globalization;
using Contiv.Lab;

namespace Contiv.Bench.Masters;

/// <summary>
/// `Contiv.Bench masters`: issue #5's figures for several masters, hand-over time after a kill -9 and
/// REST write throughput on 1 master (SQLite, PostgreSQL) and 3 masters (PostgreSQL).
/// </summary>
public static class MastersBench
{
    public const string Usage = MastersOptions.Usage;

    public static async Task<int> RunAsync(string[] args)
    {
        MastersOptions o;
        try { o = MastersOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}\n\n{Usage}");
            return 2;
        }
        if (!Environment.IsPrivilegedProcess)
        {
            Console.Error.WriteLine("error: masters needs root (its private PostgreSQL runs as user postgres)");
            return 2;
        }

        // Figures are read by scripts too: a dot as decimal separator whatever the locale.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // let the await-using blocks stop the masters and PostgreSQL
            cts.Cancel();
        };

        var w = Console.Out;
        MastersReport.PrintHeader(w, o);
        var runs = new List<HandOverRun>();
        var results = new List<ThroughputResult>();
        var exitCode = 0;
        // The two parts are independent: a failed hand-over still leaves the throughput worth measuring.
        async Task Part(string name, Func<Task> part)
        {
            if (exitCode == 130) return;
            try { await part(); }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                Console.Error.WriteLine("interrupted");
                exitCode = 130;
            }
            catch (Exception e) when (e is RequestFailedException or TimeoutException or InvalidOperationException or HttpRequestException
                                          or IOException or System.Text.Json.JsonException or AggregateException
                                          or System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine($"\nERROR in {name}: {e.Message}");
                w.WriteLine($"{name} FAILED: {e.Message.Split('\n')[0]}");
                exitCode = 1;
            }
        }

        if (o.HandOver)
        {
            w.WriteLine();
            w.WriteLine("== Hand-over ==");
            await Part("hand-over", () => HandOverBench.RunAsync(o, w, runs, cts.Token));
            MastersReport.PrintHandOverSummary(w, runs);
        }
        if (o.Throughput) await Part("throughput", () => ThroughputAsync(o, w, results, cts.Token));

        MastersReport.PrintThroughput(w, o, results);
        w.WriteLine();
        w.WriteLine(MastersReport.SummaryLine(runs, results));
        // Every write must be answered: a failed one fails the benchmark even though its figures are printed.
        if (exitCode == 0 && results.Any(r => r.Failed + r.WarmupFailed > 0)) exitCode = 1;
        return exitCode;
    }

    private static async Task ThroughputAsync(MastersOptions o, TextWriter w, List<ThroughputResult> results, CancellationToken cancel)
    {
        w.WriteLine();
        w.WriteLine("== Throughput ==");
        {
            var starting = Stopwatch.StartNew();
            await using var master = await MasterLauncher.StartAsync(cancel);
            w.WriteLine($"1 master on SQLite: pid {master.Pid}, {master.BaseAddress}, ready in {starting.Elapsed.TotalSeconds:F1} s");
            results.Add(Measured(w, await WriteThroughput.MeasureAsync("1 master, SQLite", [master.BaseAddress], o, cancel)));
        }
        {
            var starting = Stopwatch.StartNew();
            await using var postgres = await PostgresSandbox.StartAsync();
            await using var master = await MasterLauncher.StartAsync(cancel, "--journal", "postgres", "--connection-string", postgres.ConnectionString);
            w.WriteLine($"1 master on PostgreSQL (port {postgres.Port}): pid {master.Pid}, {master.BaseAddress}, ready in {starting.Elapsed.TotalSeconds:F1} s");
            results.Add(Measured(w, await WriteThroughput.MeasureAsync("1 master, PostgreSQL", [master.BaseAddress], o, cancel)));
        }
        {
            var starting = Stopwatch.StartNew();
            await using var cluster = await MasterCluster.StartAsync(3, cancellation: cancel);
            w.WriteLine($"3 masters on PostgreSQL (port {cluster.Postgres.Port}): " +
                        string.Join(", ", cluster.Masters.Select(m => $"pid {m.Process.Pid} {m.RestUrl}")) +
                        $", up in {starting.Elapsed.TotalSeconds:F1} s");
            results.Add(Measured(w, await WriteThroughput.MeasureAsync("3 masters, PostgreSQL", [.. cluster.Masters.Select(m => m.RestUrl)], o, cancel)));
        }
    }

    private static ThroughputResult Measured(TextWriter w, ThroughputResult r)
    {
        w.WriteLine($"  {r.Writes} writes in {r.WallSeconds:F2} s: {r.WritesPerSecond:F1} writes/s, p50 {r.All.MedianMs:F2} ms, p99 {r.All.P99Ms:F2} ms, {r.Failed} failed");
        return r;
    }
}
