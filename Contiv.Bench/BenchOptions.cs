namespace Contiv.Bench;

/// <summary>Command line of `Contiv.Bench rest ...`.</summary>
public sealed record BenchOptions
{
    public int Networks { get; init; } = 500;
    public int Policies { get; init; } = 500;
    public int RulesPerPolicy { get; init; } = 4;
    public int Clients { get; init; } = 16;
    public int Tenants { get; init; } = 1;
    public int Reads { get; init; } = 50;
    public Uri? Master { get; init; }
    public int? MasterPid { get; init; }
    public string? JsonPath { get; init; }
    public IReadOnlyList<int> Scenarios { get; init; } = [1, 2, 3];

    public WorkloadShape Shape => new(Networks, Policies, RulesPerPolicy, Tenants, Reads);

    public const string Usage = """
        usage: dotnet Contiv.Bench.dll rest [options]
               dotnet Contiv.Bench.dll selfcheck

        rest: create networks, then policies each followed by its rules, through the v1 REST API,
        then read them back (lists, a GET, inspects) sequentially, in three scenarios, each against
        a freshly started contiv-master on a new SQLite journal:
          1  a new TCP connection per request, sequential (as netctl does)
          2  one keep-alive connection, sequential
          3  --clients concurrent keep-alive clients (the reads stay sequential)
        and print latency percentiles per kind, throughput, wall time and the master's RSS.

          --networks N          networks to create (default 500)
          --policies N          policies to create (default 500)
          --rules-per-policy N  rules per policy (default 4)
          --clients N           concurrent clients of scenario 3 (default 16)
          --tenants T           before the writes, create tenants t1..t(T-1) with one network each,
                                so the lists span T tenants (default 1: only "default")
          --reads N             after the writes, N GETs of each read kind (default 50; 0: no reads)
          --scenarios LIST      which scenarios to run, e.g. 1,3 (default 1,2,3)
          --master URL          use a running master (e.g. http://127.0.0.1:9999) instead of starting
                                one per scenario; its objects are then created (or updated) again
          --master-pid PID      with --master: the process whose RSS to report
          --json FILE           also write every figure to FILE as JSON

        selfcheck: verify the percentile arithmetic and exit.
        """;

    /// <summary>Parses the arguments after "rest"; throws <see cref="ArgumentException"/> on bad input.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        var r = new OptionReader(args);
        while (r.MoveNext())
        {
            o = r.Name switch
            {
                "--networks" => o with { Networks = r.Int(0, Workload.MaxNetworks) },
                "--policies" => o with { Policies = r.Int(0, 1_000_000) },
                "--rules-per-policy" => o with { RulesPerPolicy = r.Int(0, 10_000) },
                "--clients" => o with { Clients = r.Int(1, 4096) },
                "--tenants" => o with { Tenants = r.Int(1, Workload.MaxNetworks) },
                "--reads" => o with { Reads = r.Int(0, 1_000_000) },
                "--master" => o with { Master = ParseMaster(r.Value()) },
                "--master-pid" => o with { MasterPid = r.Int(1, int.MaxValue) },
                "--json" => o with { JsonPath = r.Value() },
                "--scenarios" => o with { Scenarios = ParseScenarios(r.Value()) },
                _ => throw r.Unknown(),
            };
        }
        if (o.MasterPid is not null && o.Master is null)
            throw new ArgumentException("--master-pid only makes sense with --master");
        if (o.Shape.WriteRequests == 0)
            throw new ArgumentException("nothing to do: no networks and no policies");
        if (o.Networks + o.Shape.ExtraTenants > Workload.MaxNetworks)
            throw new ArgumentException($"--networks plus one network per extra tenant exceeds {Workload.MaxNetworks} (the /24 subnets of 10.0.0.0/8)");
        if (o.Reads > 0 && (o.Networks == 0 || o.Policies == 0))
            throw new ArgumentException("--reads GETs and inspects net0 and pol0: it needs --networks and --policies of at least 1 (or --reads 0)");
        return o;
    }

    private static Uri ParseMaster(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException($"--master must look like http://host:port, not '{text}'");
        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    private static int[] ParseScenarios(string text)
    {
        var list = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out var n) || n is < 1 or > 3)
                throw new ArgumentException($"--scenarios takes numbers 1..3 separated by commas, not '{text}'");
            list.Add(n);
        }
        if (list.Count == 0) throw new ArgumentException("--scenarios is empty");
        return [.. list];
    }
}
