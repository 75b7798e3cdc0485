using System.Globalization;
using System.Text.RegularExpressions;

namespace Contiv.Bench.Masters;

/// <summary>A step of a hand-over as a surviving master logged it, in seconds after the kill.</summary>
public sealed record LoggedStep(string Step, double Seconds, int Master);

/// <summary>
/// Reads the masters' Akka log lines ("[INFO][11/28/2026 09:30:19.740Z][Thread 0011][source] message"):
/// the timestamps are UTC with milliseconds, taken when the event happened, so they date the steps of a
/// hand-over better than the moment we read the line.
/// </summary>
public static partial class MasterLogs
{
    /// <summary>The steps of a hand-over in the order they must happen, each by the line that marks it.</summary>
    public static readonly IReadOnlyList<(string Step, string Marker)> Steps =
    [
        ("unreachable", "Marking node(s) as UNREACHABLE"),
        ("SBR down", "SBR took decision"),
        ("removed", "Leader is removing"),
        // Only when the oldest died: its successor starts the shard coordinators and the state feed.
        ("singletons", "Singleton manager started singleton actor"),
    ];

    [GeneratedRegex(@"^\[\w+\]\[(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\.\d{3})Z\]")]
    private static partial Regex Stamp();

    [GeneratedRegex(@"/user/state-feed\] ClusterSingletonManager state change \[\w+ -> (\w+)\]")]
    private static partial Regex FeedSingletonState();

    /// <summary>Lines of <paramref name="output"/> logged between <paramref name="fromUtc"/> and <paramref name="toUtc"/>, with their time.</summary>
    public static IEnumerable<(DateTime Utc, string Line)> Between(string output, DateTime fromUtc, DateTime toUtc)
    {
        foreach (var line in output.Split('\n'))
        {
            var match = Stamp().Match(line);
            if (!match.Success) continue;
            var utc = DateTime.ParseExact(match.Groups[1].Value, "MM/dd/yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            if (utc >= fromUtc && utc <= toUtc) yield return (utc, line.TrimEnd('\r'));
        }
    }

    /// <summary>The first time any survivor logged each step after the kill; steps nobody logged are left out.</summary>
    public static IReadOnlyList<LoggedStep> HandOverSteps(
        IEnumerable<(int Master, string Output)> survivors, DateTime killUtc, DateTime untilUtc)
    {
        var lines = survivors.SelectMany(s => Between(s.Output, killUtc, untilUtc).Select(l => (s.Master, l.Utc, l.Line))).ToList();
        var steps = new List<LoggedStep>();
        foreach (var (step, marker) in Steps)
        {
            var first = lines.Where(l => l.Line.Contains(marker, StringComparison.Ordinal)).OrderBy(l => l.Utc).FirstOrDefault();
            if (first.Line is not null) steps.Add(new LoggedStep(step, (first.Utc - killUtc).TotalSeconds, first.Master));
        }
        return steps;
    }

    /// <summary>
    /// Whether this master holds the state-feed singleton, i.e. is the oldest master (which also hosts the
    /// shard coordinators): its last singleton state change went to Oldest.
    /// </summary>
    public static bool SaysOldest(string output)
    {
        var last = FeedSingletonState().Matches(output).LastOrDefault();
        return last is not null && last.Groups[1].Value == "Oldest";
    }
}
