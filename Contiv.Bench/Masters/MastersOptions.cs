namespace Contiv.Bench.Masters;

/// <summary>Command line of `Contiv.Bench masters ...`.</summary>
public sealed record MastersOptions
{
    public int Runs { get; init; } = 10;
    public int Clients { get; init; } = 16;
    public int Writes { get; init; } = 3000;
    public int Warmup { get; init; } = 300;
    public int Tenants { get; init; } = 12;
    public bool HandOver { get; init; } = true;
    public bool Throughput { get; init; } = true;
    public bool PrintLogs { get; init; }

    /// <summary>Each unit creates a network, whose VXLAN VNI comes from the global range 1-10000; stay well inside it.</summary>
    public const int MaxWrites = 40_000;

    public const string Usage = """
        usage: sudo dotnet Contiv.Bench.dll masters [--runs 10] [--clients 16] [--writes 3000] [--warmup 300]
               [--tenants 12] [--only handover|throughput] [--logs]

        masters: issue #5's figures for several masters (needs root: a private PostgreSQL runs as user postgres).
          hand-over   3 masters on PostgreSQL (Contiv.Lab's MasterCluster); per run, kill -9 a master that
                      hosts a tenant (the oldest one and a younger one in turn), then write a policy of one of
                      its tenants through a survivor every 50 ms (2 s client timeout each, overlapping) and
                      time kill -> first 200; the killed master is started again before the next run.
                      Prints each run, min/p50/max (goal p50 <= 5 s) and when the survivors logged
                      unreachable, the split brain resolver's down, the removal and singletons moving.
          throughput  --clients concurrent keep-alive clients writing networks, policies, two rules per
                      policy and groups over --tenants tenants, against 1 master on SQLite, 1 master on
                      PostgreSQL and 3 masters on PostgreSQL (clients round-robin over the masters' REST
                      endpoints); --warmup writes first, then --writes measured ones. Prints writes/s and
                      latency p50/p99 per configuration; every write must answer 200 (failures are counted).

          --runs N        hand-over runs (default 10)
          --clients N     concurrent writers (default 16)
          --writes N      measured writes per configuration, rounded up to whole units of 5 (default 3000)
          --warmup N      unmeasured writes before them (default 300)
          --tenants N     tenants written to, and created for the hand-over (default 12)
          --only PART     run only handover or only throughput
          --logs          print the survivors' log lines between each kill and the first successful write
        """;

    /// <summary>Parses the arguments after "masters"; throws <see cref="ArgumentException"/> on bad input.</summary>
    public static MastersOptions Parse(IReadOnlyList<string> args)
    {
        var o = new MastersOptions();
        var r = new OptionReader(args);
        while (r.MoveNext())
        {
            o = r.Name switch
            {
                "--runs" => o with { Runs = r.Int(1, 1000) },
                "--clients" => o with { Clients = r.Int(1, 1024) },
                "--writes" => o with { Writes = r.Int(1, MaxWrites) },
                "--warmup" => o with { Warmup = r.Int(0, MaxWrites) },
                "--tenants" => o with { Tenants = r.Int(1, 1000) },
                "--only" => r.Value() switch
                {
                    "handover" => o with { HandOver = true, Throughput = false },
                    "throughput" => o with { HandOver = false, Throughput = true },
                    var other => throw new ArgumentException($"--only takes handover or throughput, not '{other}'"),
                },
                "--logs" => o with { PrintLogs = true },
                _ => throw r.Unknown(),
            };
        }
        if (o.Writes + o.Warmup > MaxWrites)
            throw new ArgumentException($"--writes + --warmup must stay within {MaxWrites} (a network per unit of 5 writes, VNIs 1-10000)");
        return o;
    }
}
