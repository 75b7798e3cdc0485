using System.Diagnostics;

namespace Contiv.Bench;

/// <summary>
/// Latency figures of one sample set (Stopwatch ticks in, milliseconds out).
/// Percentiles use linear interpolation between closest ranks (numpy's default):
/// rank = p/100 * (n - 1), so p50 of an even-sized sample is the mean of the two middle values.
/// </summary>
public sealed record LatencyStats(int Count, double MinMs, double MeanMs, double MedianMs, double P90Ms, double P99Ms, double MaxMs)
{
    public static readonly LatencyStats Empty = new(0, 0, 0, 0, 0, 0, 0);

    public static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static LatencyStats FromTicks(IEnumerable<long> ticks) => FromMs(ticks.Select(TicksToMs));

    public static LatencyStats FromMs(IEnumerable<double> samples)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0) return Empty;
        Array.Sort(sorted);
        return new LatencyStats(
            sorted.Length,
            sorted[0],
            sorted.Average(),
            Percentile(sorted, 50),
            Percentile(sorted, 90),
            Percentile(sorted, 99),
            sorted[^1]);
    }

    /// <summary>p in [0, 100] of an ascending-sorted, non-empty array.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) throw new ArgumentException("no samples", nameof(sorted));
        if (p is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(p));
        var rank = p / 100.0 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /// <summary>Tiny self-check of the statistics (run with `Contiv.Bench selfcheck`).</summary>
    public static IReadOnlyList<string> SelfCheck()
    {
        var failures = new List<string>();
        void Expect(string what, double actual, double expected)
        {
            if (Math.Abs(actual - expected) > 1e-9) failures.Add($"{what}: expected {expected}, got {actual}");
        }

        var hundred = FromMs(Enumerable.Range(1, 100).Select(i => (double)i).Reverse());
        Expect("1..100 count", hundred.Count, 100);
        Expect("1..100 min", hundred.MinMs, 1);
        Expect("1..100 mean", hundred.MeanMs, 50.5);
        Expect("1..100 median", hundred.MedianMs, 50.5);
        Expect("1..100 p90", hundred.P90Ms, 90.1);
        Expect("1..100 p99", hundred.P99Ms, 99.01);
        Expect("1..100 max", hundred.MaxMs, 100);

        var single = FromMs([7.5]);
        Expect("single median", single.MedianMs, 7.5);
        Expect("single p99", single.P99Ms, 7.5);

        var odd = FromMs([3, 1, 2]);
        Expect("odd median", odd.MedianMs, 2);
        var even = FromMs([4, 1, 3, 2]);
        Expect("even median", even.MedianMs, 2.5);
        Expect("even p90", even.P90Ms, 3.7);

        // 1..500 (the benchmark's sample size): rank(p90) = 449.1 -> 450.1, rank(p99) = 494.01 -> 495.01.
        var five = FromMs(Enumerable.Range(1, 500).Select(i => (double)i));
        Expect("1..500 median", five.MedianMs, 250.5);
        Expect("1..500 p90", five.P90Ms, 450.1);
        Expect("1..500 p99", five.P99Ms, 495.01);

        Expect("empty count", FromMs([]).Count, 0);
        Expect("ticks->ms", TicksToMs(Stopwatch.Frequency), 1000);
        Expect("ticks stats", FromTicks([Stopwatch.Frequency, Stopwatch.Frequency * 3]).MedianMs, 2000);
        return failures;
    }
}
