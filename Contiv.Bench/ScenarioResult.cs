namespace Contiv.Bench;

/// <summary>Whether the scenario used the TCP connections it claims to (counted by the client).</summary>
public sealed record ConnectionCheck(long Opened, string Expected, bool Ok, bool Fatal)
{
    public static ConnectionCheck For(ScenarioSpec spec, WorkloadShape shape, long opened)
    {
        if (spec.NewConnectionPerRequest)
            return new(opened, $"{shape.TotalRequests}, one per request", opened == shape.TotalRequests, Fatal: true);
        if (spec.Clients == 1)
            return new(opened, "1, kept alive", opened == 1, Fatal: false);
        return new(opened, $"1..{spec.Clients}, kept alive", opened >= 1 && opened <= spec.Clients, Fatal: false);
    }
}

/// <summary>The master a scenario ran against.</summary>
public sealed record MasterInfo(int? Pid, string Address, bool Fresh, double? StartupSeconds, MemoryUsage? MemoryAfter);

public sealed record ScenarioResult(
    ScenarioSpec Spec,
    WorkloadShape Shape,
    ScenarioMeasurement Measurement,
    ConnectionCheck Connections,
    MasterInfo Master)
{
    public double Speedup(OpKind kind)
    {
        var median = Measurement.ByKind[kind].MedianMs;
        return median > 0 ? Workload.OriginalMedianMs(kind) / median : double.PositiveInfinity;
    }

    /// <summary>Original median / ours; null when the original has no figure for the kind or nothing was read.</summary>
    public double? Speedup(ReadKind kind)
    {
        var median = Measurement.Reads.ByKind[kind].MedianMs;
        return Workload.OriginalMedianMs(kind) is { } original && Measurement.Reads.ByKind[kind].Count > 0
            ? original / median
            : null;
    }
}
