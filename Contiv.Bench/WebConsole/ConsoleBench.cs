using System.Diagnostics;
using System.Globalization;
using System.Text;
using Contiv.Bench.Agents;
using Contiv.Lab;
using Contiv.Messages.Endpoints;

namespace Contiv.Bench.WebConsole;

/// <summary>
/// `console`: one master with N endpoints (made through sharding by a node that joins as an agent does) and the console
/// open in Debian's headless Chromium: how long a REST write takes to show in an open page, how long the dashboard takes
/// to load with every count filled in, and how many bytes the watch stream sends per change.
/// </summary>
public static class ConsoleBench
{
    public const string Usage = """
        usage: dotnet Contiv.Bench.dll console [--endpoints N] [--writes N] [--loads N]
        console: a master with N endpoints (default 1000) in 20 groups; the console in headless Chromium at 1280x800:
                 write -> shown p50/p99 over --writes network creates made from the page (default 100, timed in the
                 page's clock), dashboard load p50 over --loads loads (default 5), and watch-stream bytes per change.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int endpoints = 1000, writes = 100, loads = 5;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                System.Console.Error.WriteLine($"error: {args[i]} needs a positive number\n\n{Usage}");
                return 2;
            }
            switch (args[i])
            {
                case "--endpoints": endpoints = value; break;
                case "--writes": writes = value; break;
                case "--loads": loads = value; break;
                default:
                    System.Console.Error.WriteLine($"error: unknown option {args[i]}\n\n{Usage}");
                    return 2;
            }
        }

        var remotePort = LocalPorts.FreeTcpPort();
        await using var master = await MasterLauncher.StartAsync(CancellationToken.None,
            ["--remote-port", remotePort.ToString(CultureInfo.InvariantCulture), .. ClusterCertificates.Flags("master")]);
        using var http = new HttpClient { BaseAddress = master.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await using var node = await BenchClusterNode.JoinAsync($"akka.ssl.tcp://contiv@127.0.0.1:{remotePort}");
        System.Console.WriteLine($"== console: {endpoints} endpoints, {writes} writes, {loads} dashboard loads; master pid {master.Pid}, {Environment.ProcessorCount} cores");
        await Post(http, "/api/v1/networks/default:bench/", """{"tenantName":"default","networkName":"bench","encap":"vxlan","subnet":"10.100.0.0/16","gateway":"10.100.0.1"}""");
        for (var g = 0; g < 20; g++)
            await Post(http, $"/api/v1/endpointGroups/default:g{g}/", $$"""{"tenantName":"default","groupName":"g{{g}}","networkName":"bench"}""");
        await node.CreateEndpointsAsync(endpoints, i => ($"e{i}", new EndpointSpec("default", "bench", $"g{i % 20}", $"c{i}", $"host{i % 10}")));

        await using var browser = await ConsoleBrowser.LaunchAsync();
        await using var page = await browser.OpenAsync(master.BaseAddress, "bench");
        await page.WaitLiveAsync();

        var loadTimes = new List<double>();
        for (var i = 0; i < loads; i++)
        {
            await page.Page.GotoAsync("about:blank");
            var clock = Stopwatch.StartNew();
            await page.Page.GotoAsync("/console/#/dashboard");
            await page.Page.WaitForFunctionAsync(
                $"() => document.querySelector(\"[data-count='Endpoints'] .n\")?.textContent === '{endpoints}' && window.contivConsole.pendingCalls() === 0",
                null, new() { PollingInterval = 10, Timeout = 60_000 });
            loadTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        var load = LatencyStats.FromMs(loadTimes);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard load with {endpoints} endpoints (navigation to every count and address use filled in): p50 {load.MedianMs:F0} ms, max {loadTimes.Max():F0} ms"));

        await page.GoAsync("Networks");
        // Timed in the page: the write is a fetch, the change is the row the watch stream puts in the table.
        var shown = await page.Page.EvaluateAsync<double[]>("""
            async count => {
              const times = [];
              for (let i = 0; i < count; i++) {
                const key = `default:w${i}`;
                const appeared = new Promise(resolve => {
                  const seen = () => document.querySelector(`#page tr[data-key='${key}']`);
                  const observer = new MutationObserver(() => { if (seen()) { observer.disconnect(); resolve(performance.now()); } });
                  observer.observe(document.getElementById('page'), { childList: true, subtree: true });
                });
                const started = performance.now();
                const answer = await fetch(`/api/v1/networks/${key}/`, { method: 'POST',
                  body: JSON.stringify({ tenantName: 'default', networkName: `w${i}`, encap: 'vxlan', subnet: `10.${110 + (i >> 8)}.${i & 255}.0/24` }) });
                if (!answer.ok) throw new Error(`write ${key}: ${answer.status} ${await answer.text()}`);
                times.push((await appeared) - started);
              }
              return times;
            }
            """, writes);
        var writeStats = LatencyStats.FromMs(shown);
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"REST write -> shown in the open networks page: p50 {writeStats.MedianMs:F1} ms, p99 {writeStats.P99Ms:F1} ms over {writes} creates"));

        var (put, tenant) = await BytesPerChangeAsync(http);
        System.Console.WriteLine($"watch stream per network create: {put} bytes (the put, with the network's view) + {tenant} bytes (the tenant's change) = {put + tenant} bytes");
        return 0;
    }

    /// <summary>The bytes of the frames one network create sends a watcher: its put, and the tenant event after it.</summary>
    private static async Task<(int Put, int Tenant)> BytesPerChangeAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/watch/");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await ReadFrameAsync(reader); // hello
        await Post(http, "/api/v1/networks/default:measured/", """{"tenantName":"default","networkName":"measured","encap":"vxlan","subnet":"10.250.0.0/24","gateway":"10.250.0.1"}""");
        int put = 0, tenant = 0;
        while (put == 0 || tenant == 0)
        {
            var frame = await ReadFrameAsync(reader);
            if (frame.Contains("event: put\n", StringComparison.Ordinal) && frame.Contains("default:measured", StringComparison.Ordinal)) put = Encoding.UTF8.GetByteCount(frame);
            else if (put > 0 && frame.Contains("event: tenant\n", StringComparison.Ordinal)) tenant = Encoding.UTF8.GetByteCount(frame);
        }
        return (put, tenant);
    }

    private static async Task<string> ReadFrameAsync(StreamReader reader)
    {
        var frame = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            frame.Append(line).Append('\n');
            if (line.Length == 0) return frame.ToString();
        }
        throw new InvalidOperationException("the watch stream ended");
    }

    private static async Task Post(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body));
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
