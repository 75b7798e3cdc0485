using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Contiv.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Contiv.Tests.Durability;

/// <summary>
/// The crash test: kill -9 the master while concurrent writers are creating tenants, networks
/// with automatic tags, policies with rules and service LBs with automatic VIPs. After a restart
/// on the same data directory every acknowledged write is there exactly as acknowledged, nothing
/// is half-made, and no tag or address is owned twice — then or after further writes.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class KillDuringWritesTests(ITestOutputHelper output)
{
    private const int Workers = 8;
    private const int RoundsPerWorker = 200;          // an upper bound only; the kill comes far earlier
    private const int KillAfterAtLeast = 150;         // kill after the Nth acknowledged write, N in [150, 190)
    private const int KillJitter = 40;
    private const int FewestAcksToJudge = 30;         // if the master is that slow, kill at the window's end anyway
    private const int WritesAfterRestart = 50;
    private const int OldNetworksToReuse = 25;
    private static readonly TimeSpan WriteWindow = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan WorkersWindDown = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(170);

    [Fact]
    public Task AcknowledgedWritesSurviveKillNineAndNothingIsOwnedTwice() => Run().WaitAsync(TestBound);

    private async Task Run()
    {
        var dataDir = MasterProcess.NewDataDir();
        try
        {
            var killAfter = KillAfterAtLeast + Random.Shared.Next(KillJitter);
            WriteStream stream;
            await using (var first = await LiveMaster.StartAsync(dataDir))
            {
                stream = new WriteStream(first.Rest, killAfter);
                var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => stream.Worker(w))).ToArray();

                // Kill at the Nth ack; or at the window's end; or at once if every writer has stopped (a fault).
                var allStopped = Task.WhenAll(workers);
                var reached = await Task.WhenAny(stream.KillPoint.Task, Task.Delay(WriteWindow), allStopped) == stream.KillPoint.Task;
                var acksAtKill = stream.AckCount;
                stream.MarkKilled();
                first.Process.Kill();
                stream.Stop.Cancel();
                output.WriteLine($"kill -9 after {acksAtKill} acknowledged writes (target {killAfter}, reached: {reached})");

                await allStopped.WaitAsync(WorkersWindDown);
                Assert.True(stream.Failures.IsEmpty,
                    "wrong answers before the kill:\n" + string.Join('\n', stream.Failures.Take(10)) + "\nmaster:\n" + first.Tail());
                Assert.True(stream.AckCount >= FewestAcksToJudge,
                    $"only {stream.AckCount} writes acknowledged in {WriteWindow}:\n{first.Tail()}");
            }
            output.WriteLine($"{stream.AckCount} writes acknowledged in all, {stream.Acks.Count(a => a.Plural == "networks")} networks");

            await using var second = await LiveMaster.StartAsync(dataDir);
            var rest = second.Rest;

            await AcknowledgedWritesAreThere(rest, stream);
            var networks = await Invariants.AllNetworks(rest);
            var services = await Invariants.AllServiceVips(rest);
            Invariants.AssertTagsComplete(networks);
            Invariants.AssertVipsComplete(services, networks);
            await NothingIsHalfMade(rest, networks);
            output.WriteLine($"after the restart: {networks.Count} networks, {services.Count} service LBs " +
                $"({networks.Count - stream.Acks.Count(a => a.Plural == "networks")} networks more than acknowledged, default ones included)");

            await WriteMore(rest, stream);
            var networksAfter = await Invariants.AllNetworks(rest);
            var servicesAfter = await Invariants.AllServiceVips(rest);
            Invariants.AssertTagsComplete(networksAfter);
            Invariants.AssertVipsComplete(servicesAfter, networksAfter);
            foreach (var n in networks) Assert.Equal(n, networksAfter.Single(a => a.Key == n.Key));
            foreach (var s in services) Assert.Equal(s, servicesAfter.Single(a => a.Key == s.Key));
            output.WriteLine($"after more writes: {networksAfter.Count} networks, {servicesAfter.Count} service LBs");
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Every acknowledged object exists and reads back as the master answered it (link-sets
    /// aside: they grow as later objects link to it); tags and VIPs seen after the ack are unchanged.
    /// </summary>
    private static async Task AcknowledgedWritesAreThere(RestClient rest, WriteStream stream)
    {
        foreach (var ack in stream.Acks)
        {
            var reply = await rest.Get(ack.Plural, ack.Key);
            Assert.True(reply.Status == HttpStatusCode.OK, $"acknowledged {ack.Plural}/{ack.Key} is lost after kill -9: {reply}");
            var now = JsonKit.ParseObject(reply, $"GET {ack.Plural}/{ack.Key}");
            JsonKit.AssertSame(JsonKit.Without(ack.Body, "link-sets"), JsonKit.Without(now, "link-sets"),
                $"acknowledged {ack.Plural}/{ack.Key} after kill -9");
        }

        foreach (var (key, seen) in stream.NetworksSeen)
        {
            var now = NetworkTags.From(key, await Invariants.Inspect(rest, "networks", key));
            Assert.Equal(seen, now);
        }

        foreach (var (key, vip) in stream.VipsSeen)
        {
            var now = await Invariants.Inspect(rest, "serviceLBs", key);
            Assert.True(vip == JsonKit.Str(now["Oper"], "serviceVip"),
                $"service LB {key} had VIP {vip} before kill -9, now: {now["Oper"]?.ToJsonString()}");
        }
    }

    /// <summary>Writes that were not acknowledged may be there or not; if there, they are whole.</summary>
    private static async Task NothingIsHalfMade(RestClient rest, List<NetworkTags> networks)
    {
        var tenants = (await Invariants.List(rest, "tenants")).Select(t => JsonKit.Str(t, "tenantName")).ToHashSet();
        foreach (var n in networks)
            Assert.True(tenants.Contains(n.Key.Split(':')[0]), $"network {n.Key} of a missing tenant");

        var policies = new HashSet<string>();
        foreach (var p in await Invariants.List(rest, "policys"))
        {
            Assert.True(tenants.Contains(JsonKit.Str(p, "tenantName")), $"policy {p?.ToJsonString()} of a missing tenant");
            policies.Add(JsonKit.Str(p, "key"));
        }

        foreach (var r in await Invariants.List(rest, "rules"))
        {
            var policy = $"{JsonKit.Str(r, "tenantName")}:{JsonKit.Str(r, "policyName")}";
            Assert.True(policies.Contains(policy), $"rule {r?.ToJsonString()} of a missing policy");
            Assert.True(JsonKit.Str(r, "action") is "allow" or "deny", $"rule without its action: {r?.ToJsonString()}");
        }
    }

    /// <summary>
    /// Carry on after the crash: new networks (both encaps, automatic tags) with service LBs, and
    /// service LBs on networks that got addresses before the crash. All must succeed.
    /// </summary>
    private static async Task WriteMore(RestClient rest, WriteStream stream)
    {
        await Ok(rest.Post("tenants", "kafter", new { tenantName = "kafter" }));
        var fresh = Enumerable.Range(0, WritesAfterRestart).Select(async j =>
        {
            var net = $"m{j}";
            await Ok(rest.Post("networks", $"kafter:{net}", new
            {
                tenantName = "kafter", networkName = net, encap = j % 2 == 0 ? "vlan" : "vxlan",
                subnet = $"10.250.{j}.0/24", gateway = $"10.250.{j}.1",
            }));
            await Ok(rest.Post("serviceLBs", $"kafter:t{j}", new
            {
                tenantName = "kafter", serviceName = $"t{j}", networkName = net, selectors = new[] { "app=web" }, ports = new[] { "80:8080:TCP" },
            }));
        });

        var old = stream.Acks.Where(a => a.Plural == "networks").Take(OldNetworksToReuse).Select(async (a, i) =>
        {
            var tenant = JsonKit.Str(a.Body, "tenantName");
            await Ok(rest.Post("serviceLBs", $"{tenant}:after{i}", new
            {
                tenantName = tenant, serviceName = $"after{i}", networkName = JsonKit.Str(a.Body, "networkName"),
                selectors = new[] { "app=db" }, ports = new[] { "5432:5432:TCP" },
            }));
        });

        await Task.WhenAll(fresh.Concat(old));
    }

    private static async Task Ok(Task<RestReply> call, [CallerArgumentExpression(nameof(call))] string what = "")
    {
        var reply = await call;
        Assert.True(reply.Ok, $"expected success of {what}: {reply}");
    }

    private sealed record Ack(string Plural, string Key, JsonNode Body);

    /// <summary>
    /// Eight writers, each with a tenant of its own (kw0..kw7), creating in rounds: a network
    /// (vlan and vxlan in turn, automatic tag, a subnet of its own), a service LB on it (automatic
    /// VIP), and every third round a policy with a rule. A write counts as acknowledged only
    /// when a 2xx reply came back; its body is what the master answered.
    /// </summary>
    private sealed class WriteStream(RestClient rest, int killAfter)
    {
        private int _acks;
        private volatile bool _killed;

        public ConcurrentQueue<Ack> Acks { get; } = new();
        public ConcurrentDictionary<string, NetworkTags> NetworksSeen { get; } = new();
        public ConcurrentDictionary<string, string> VipsSeen { get; } = new();
        /// <summary>Answers a healthy master must not give: refusals of valid writes, errors before the kill.</summary>
        public ConcurrentQueue<string> Failures { get; } = new();
        public TaskCompletionSource KillPoint { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenSource Stop { get; } = new();
        public int AckCount => Volatile.Read(ref _acks);

        /// <summary>From now on a failed call is the crash, not a fault.</summary>
        public void MarkKilled() => _killed = true;

        public async Task Worker(int w)
        {
            var tenant = $"kw{w}";
            if (!await Write("tenants", tenant, new { tenantName = tenant })) return;

            for (var j = 0; j < RoundsPerWorker && !Stop.IsCancellationRequested; j++)
            {
                var net = $"n{j}";
                var networkKey = $"{tenant}:{net}";
                if (!await Write("networks", networkKey, new
                {
                    tenantName = tenant, networkName = net, encap = (j + w) % 2 == 0 ? "vlan" : "vxlan",
                    subnet = $"10.{w + 1}.{j}.0/24", gateway = $"10.{w + 1}.{j}.1",
                })) return;
                if (await Observe("networks", networkKey) is { } network) NetworksSeen[networkKey] = NetworkTags.From(networkKey, network);

                var serviceKey = $"{tenant}:s{j}";
                if (!await Write("serviceLBs", serviceKey, new
                {
                    tenantName = tenant, serviceName = $"s{j}", networkName = net,
                    selectors = new[] { "app=web" }, ports = new[] { "80:8080:TCP" },
                })) return;
                if (await Observe("serviceLBs", serviceKey) is { } service) VipsSeen[serviceKey] = JsonKit.Str(service["Oper"], "serviceVip");

                if (j % 3 != 0) continue;
                var policy = $"p{j}";
                if (!await Write("policys", $"{tenant}:{policy}", new { tenantName = tenant, policyName = policy })) return;
                if (!await Write("rules", $"{tenant}:{policy}:r1", new
                {
                    tenantName = tenant, policyName = policy, ruleId = "r1", direction = "in", priority = 10,
                    protocol = "tcp", port = 80 + j, action = "allow",
                })) return;
            }
        }

        private async Task<bool> Write(string plural, string key, object body)
        {
            RestReply reply;
            try
            {
                reply = await rest.Post(plural, key, body);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                if (!_killed) Failures.Enqueue($"POST {plural}/{key} failed before the kill: {e.GetType().Name}: {e.Message}");
                return false;
            }

            if (!reply.Ok)
            {
                Failures.Enqueue($"POST {plural}/{key} refused: {reply}");
                return false;
            }

            JsonNode? answered;
            try { answered = JsonNode.Parse(reply.Body); }
            catch (JsonException) { answered = null; }
            if (answered is not JsonObject)
            {
                Failures.Enqueue($"POST {plural}/{key} answered {reply}: not a JSON object");
                return false;
            }

            Acks.Enqueue(new Ack(plural, key, answered));
            if (Interlocked.Increment(ref _acks) == killAfter) KillPoint.TrySetResult();
            return true;
        }

        /// <summary>Inspect right after an ack: what it shows is acknowledged state and must survive.</summary>
        private async Task<JsonNode?> Observe(string plural, string key)
        {
            try
            {
                var reply = await rest.Inspect(plural, key);
                if (reply.Ok) return JsonNode.Parse(reply.Body);
                Failures.Enqueue($"inspect {plural}/{key} after its ack: {reply}");
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or JsonException)
            {
                if (!_killed || e is JsonException) Failures.Enqueue($"inspect {plural}/{key} failed before the kill: {e.GetType().Name}: {e.Message}");
                return null;
            }
        }
    }
}
