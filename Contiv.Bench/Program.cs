using Contiv.Bench;

return await BenchProgram.MainAsync(args);

/// <summary>Entry point: `rest` runs the REST benchmark, `dataplane` the OVS dataplane one, `agents` and `lab` the agents',
/// `masters` the several masters' (hand-over, throughput), `docker` the Docker driver's, `cni` the CNI plugin's, `auth` REST over TLS with tokens vs loopback, `console` the web console's, `selfcheck` checks the statistics.</summary>
internal static class BenchProgram
{
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(BenchOptions.Usage + "\n" + Contiv.Bench.Dataplane.DataplaneBench.Usage + "\n" + Contiv.Bench.Agents.AgentsBench.Usage + "\n" + Contiv.Bench.Agents.LabBench.Usage + "\n" + Contiv.Bench.Masters.MastersBench.Usage + "\n" + Contiv.Bench.Docker.DockerBench.Usage + "\n" + Contiv.Bench.Cni.CniBench.Usage + "\n" + Contiv.Bench.Auth.AuthBench.Usage + "\n" + Contiv.Bench.WebConsole.ConsoleBench.Usage);
            return args.Length == 0 ? 2 : 0;
        }
        switch (args[0])
        {
            case "selfcheck":
                return SelfCheck();
            case "dataplane":
                return await Contiv.Bench.Dataplane.DataplaneBench.RunAsync(args[1..]);
            case "agents":
                return await Contiv.Bench.Agents.AgentsBench.RunAsync(args[1..]);
            case "lab":
                return await Contiv.Bench.Agents.LabBench.RunAsync(args[1..]);
            case "masters":
                return await Contiv.Bench.Masters.MastersBench.RunAsync(args[1..]);
            case "docker":
                return await Contiv.Bench.Docker.DockerBench.RunAsync(args[1..]);
            case "cni":
                return await Contiv.Bench.Cni.CniBench.RunAsync(args[1..]);
            case "auth":
                return await Contiv.Bench.Auth.AuthBench.RunAsync(args[1..]);
            case "console":
                return await Contiv.Bench.WebConsole.ConsoleBench.RunAsync(args[1..]);
            case "rest":
                BenchOptions options;
                try { options = BenchOptions.Parse(args[1..]); }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"error: {e.Message}\n\n{BenchOptions.Usage}");
                    return 2;
                }
                return await RunRestAsync(options);
            default:
                Console.Error.WriteLine($"error: unknown command '{args[0]}'\n\n{BenchOptions.Usage}");
                return 2;
        }
    }

    private static int SelfCheck()
    {
        var failures = LatencyStats.SelfCheck().ToList();
        var net = System.Text.Encoding.UTF8.GetString(Workload.Network(300).Body);
        const string expectedNet = "{\"tenantName\":\"default\",\"networkName\":\"net300\",\"encap\":\"vxlan\",\"subnet\":\"10.1.44.0/24\",\"gateway\":\"10.1.44.1\"}";
        if (net != expectedNet) failures.Add($"network body: {net}");
        var rule = Workload.Rule(7, 3);
        const string expectedRule = "{\"tenantName\":\"default\",\"policyName\":\"pol7\",\"ruleId\":\"r3\",\"direction\":\"in\",\"priority\":4,\"protocol\":\"tcp\",\"port\":8003,\"action\":\"allow\"}";
        if (rule.Path != "/api/v1/rules/default:pol7:r3/" || System.Text.Encoding.UTF8.GetString(rule.Body) != expectedRule)
            failures.Add($"rule: {rule}");
        // --tenants: extra tenant k's network follows the main ones, so its subnet is one they do not use.
        var extra = Workload.ExtraTenantNetwork(new WorkloadShape(300, 300, 4, Tenants: 3), 2);
        const string expectedExtra = "{\"tenantName\":\"t2\",\"networkName\":\"net301\",\"encap\":\"vxlan\",\"subnet\":\"10.1.45.0/24\",\"gateway\":\"10.1.45.1\"}";
        if (extra.Path != "/api/v1/networks/t2:net301/" || System.Text.Encoding.UTF8.GetString(extra.Body) != expectedExtra)
            failures.Add($"extra tenant network: {extra}");
        if (new WorkloadShape(300, 300, 4, Tenants: 100).ExpectedItems(ReadKind.NetworkList) != 399)
            failures.Add("the network list of 300 networks and 99 extra tenants should hold 399 items");
        foreach (var f in failures) Console.WriteLine($"FAIL {f}");
        Console.WriteLine(failures.Count == 0 ? "selfcheck ok" : $"selfcheck: {failures.Count} failure(s)");
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<int> RunRestAsync(BenchOptions o)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // let the finally blocks stop the master and delete its directory
            cts.Cancel();
        };

        var stdout = Console.Out;
        var results = new List<ScenarioResult>();
        string? error = null;
        var exitCode = 0;
        Report.PrintHeader(stdout, o);

        foreach (var spec in ScenarioSpec.All(o.Clients).Where(s => o.Scenarios.Contains(s.Number)))
        {
            MasterLauncher? launcher = null;
            try
            {
                Uri address;
                if (o.Master is null)
                {
                    launcher = await MasterLauncher.StartAsync(cts.Token);
                    address = launcher.BaseAddress;
                }
                else
                {
                    address = o.Master;
                }
                var before = new MasterInfo(launcher?.Pid ?? o.MasterPid, address.ToString().TrimEnd('/'),
                    Fresh: launcher is not null, launcher?.StartupTime.TotalSeconds, MemoryAfter: null);
                Report.PrintScenarioStart(stdout, spec, before);

                ScenarioMeasurement measurement;
                using (var http = new BenchHttpClient(address, spec.NewConnectionPerRequest, spec.Clients))
                    measurement = await ScenarioRunner.RunAsync(spec, o.Shape, http, exactListItems: launcher is not null, cts.Token);

                var memory = launcher is not null ? launcher.ReadMemory()
                    : o.MasterPid is { } pid ? MemoryUsage.Read(pid) : null;
                var result = new ScenarioResult(spec, o.Shape, measurement,
                    ConnectionCheck.For(spec, o.Shape, measurement.ConnectionsOpened),
                    before with { MemoryAfter = memory });
                results.Add(result);
                Report.PrintScenario(stdout, result);

                if (result.Connections is { Ok: false, Fatal: true })
                {
                    error = $"scenario {spec.Number}: opened {result.Connections.Opened} TCP connections, expected " +
                            $"{result.Connections.Expected}; the measurement is not what it claims to be";
                    exitCode = 3;
                    break;
                }
            }
            catch (RequestFailedException e)
            {
                error = $"scenario {spec.Number} aborted: {e.Message}";
                exitCode = 1;
                PrintFailure(error, launcher);
                break;
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                error = $"scenario {spec.Number} interrupted";
                exitCode = 130;
                Console.Error.WriteLine(error);
                break;
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or FileNotFoundException
                                          or IOException or System.ComponentModel.Win32Exception)
            {
                error = $"scenario {spec.Number} failed: {e.Message}";
                exitCode = 1;
                PrintFailure(error, launcher);
                break;
            }
            finally
            {
                if (launcher is not null)
                {
                    await launcher.DisposeAsync();
                    stdout.WriteLine($"master stopped: {launcher.StopOutcome}");
                }
            }
        }

        Report.PrintSummary(stdout, results);
        if (error is not null) Console.Error.WriteLine($"\nerror: {error.Split('\n')[0]}");
        if (o.JsonPath is not null)
        {
            await Report.WriteJsonAsync(o.JsonPath, o, results, error);
            stdout.WriteLine($"figures written to {o.JsonPath}");
        }
        return exitCode;
    }

    private static void PrintFailure(string error, MasterLauncher? launcher)
    {
        Console.Error.WriteLine();
        Console.Error.WriteLine($"ERROR {error}");
        if (launcher is null) return;
        var tail = launcher.RecentOutput.Split('\n').TakeLast(40);
        Console.Error.WriteLine($"--- last lines of contiv-master (pid {launcher.Pid}{(launcher.HasExited ? ", exited" : "")}) ---");
        foreach (var line in tail) Console.Error.WriteLine(line);
        Console.Error.WriteLine("---");
    }
}
