using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Contiv.Lab;

/// <summary>Where a <see cref="MasterCluster"/> puts its masters.</summary>
public enum MasterPlacement
{
    /// <summary>All in the root namespace, on 127.0.0.1 (or addresses given) and ports of their own.</summary>
    Loopback,

    /// <summary>
    /// Each in a network namespace of its own with two links: a cluster link (Akka and PostgreSQL) on one
    /// lab bridge and an API link (REST) on another, so the cluster link can be cut while the test still
    /// asks the cut master over REST what it does.
    /// </summary>
    Namespaces,
}

/// <summary>
/// Several real contiv-master processes on one private PostgreSQL journal, formed into one cluster
/// through the same seed list, as an operator runs them. Masters can be killed (kill -9), stopped,
/// started again and, in namespaces, cut off from the others and healed. Every master has a TLS
/// listener with the lab's API certificate and the same first admin; the lab logs in once, on the
/// first master, and its clients carry that token to every master (tokens are the cluster's).
/// </summary>
public sealed class MasterCluster : IAsyncDisposable
{
    public const string AdminPassword = "lab-admin-password";

    private readonly List<ClusterMaster> _masters = [];
    private readonly LabLinks _net = new();
    private readonly HttpMessageHandler _handler;

    /// <summary>The admin's token, from the login that <see cref="StartAsync"/> makes; the lab's clients send it.</summary>
    public string? AdminToken { get; private set; }

    public MasterPlacement Placement { get; }
    public PostgresSandbox Postgres { get; private set; } = null!;
    public IReadOnlyList<ClusterMaster> Masters => _masters;
    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..6];
    public IReadOnlyList<string> Namespaces => _net.Namespaces;
    public IReadOnlyList<string> Links => _net.Links;

    /// <summary>The seed list every master is started with: all masters' cluster addresses, the first forms the cluster.</summary>
    public IReadOnlyList<string> Seeds => [.. _masters.Select(m => m.Seed)];

    /// <summary>Cluster network prefix (<c>10.a.b</c>) in namespaces; the API network is the next /24.</summary>
    private readonly string _clusterNet;
    private readonly string _apiNet;

    private MasterCluster(MasterPlacement placement)
    {
        Placement = placement;
        var a = Random.Shared.Next(200, 250);
        var b = Random.Shared.Next(0, 127) * 2;
        _clusterNet = $"10.{a}.{b}";
        _apiNet = $"10.{a}.{b + 1}";
        _handler = new WithAdminToken(this)
        {
            InnerHandler = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => ClusterCertificates.IsApiCertificate(certificate) },
            },
        };
    }

    /// <summary>A client that trusts the lab's API certificate alone and sends the admin's token (once logged in).</summary>
    public HttpClient NewClient(TimeSpan timeout) => new(_handler, disposeHandler: false) { Timeout = timeout };

    /// <param name="clusterAddresses">Loopback placement only: addresses in the root namespace the masters' cluster ports
    /// bind to, one per master (a lab bridge's, so that agents in namespaces reach them); default 127.0.0.1 for all.</param>
    public static async Task<MasterCluster> StartAsync(int masters, MasterPlacement placement = MasterPlacement.Loopback,
        IReadOnlyList<string>? clusterAddresses = null, CancellationToken cancellation = default)
    {
        var master = Path.Combine(ClusterLab.BinaryDirectory, "contiv-master.dll");
        if (!File.Exists(master)) throw new FileNotFoundException($"contiv-master.dll is not beside {AppContext.BaseDirectory}; reference its project", master);
        var cluster = new MasterCluster(placement);
        try
        {
            if (placement == MasterPlacement.Namespaces)
            {
                await cluster.BridgesAsync();
                cluster.Postgres = await PostgresSandbox.StartAsync($"127.0.0.1,{cluster._clusterNet}.1");
            }
            else
            {
                cluster.Postgres = await PostgresSandbox.StartAsync();
            }
            for (var i = 0; i < masters; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                cluster._masters.Add(placement == MasterPlacement.Namespaces ? await cluster.NamespacedAsync(i) : cluster.InRootNamespace(i, clusterAddresses?[i]));
            }
            // All at once, as a cluster comes up: the first seed forms it, the others join through it.
            await Task.WhenAll(cluster._masters.Select(m => m.StartAsync()));
            await cluster.LoginAsync(TimeSpan.FromSeconds(60));
            await cluster.WaitForMastersUpAsync(masters, TimeSpan.FromSeconds(60));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private ClusterMaster InRootNamespace(int index, string? clusterAddress) =>
        new(this, index, null, clusterAddress ?? "127.0.0.1", LocalPorts.FreeTcpPort(), new Uri($"http://127.0.0.1:{LocalPorts.FreeTcpPort()}"),
            new Uri($"https://127.0.0.1:{LocalPorts.FreeTcpPort()}"), Postgres.ConnectionString);

    private async Task<ClusterMaster> NamespacedAsync(int index)
    {
        var ns = $"mc{Suffix}{index}";
        await _net.NamespaceAsync(ns);
        var clusterAddress = $"{_clusterNet}.{10 + index}";
        await _net.VethAsync(ClusterLink(index), $"mcn{Suffix}{index}", $"mcb{Suffix}", ns, $"{clusterAddress}/24");
        await _net.VethAsync($"mar{Suffix}{index}", $"man{Suffix}{index}", $"mab{Suffix}", ns, $"{_apiNet}.{10 + index}/24");
        // Reached from outside its namespace only over TLS with a token: its plain listener stays on the namespace's loopback.
        return new ClusterMaster(this, index, ns, clusterAddress, 4053, null, new Uri($"https://{_apiNet}.{10 + index}:10000"),
            Postgres.ConnectionStringFor($"{_clusterNet}.1"));
    }

    private string ClusterLink(int index) => $"mcr{Suffix}{index}";

    private async Task BridgesAsync()
    {
        await _net.BridgeAsync($"mcb{Suffix}", $"{_clusterNet}.1/24");
        await _net.BridgeAsync($"mab{Suffix}", $"{_apiNet}.1/24");
    }

    /// <summary>Cuts a master's cluster link (it keeps running and keeps its API link): the others and PostgreSQL no longer reach it.</summary>
    public Task CutAsync(ClusterMaster master) => LinkAsync(master, "down");

    /// <summary>Brings the link back and returns once the master's namespace reaches the cluster network again
    /// (its neighbour entries failed while cut: the first packets after the heal would find no route).</summary>
    public async Task HealAsync(ClusterMaster master)
    {
        await LinkAsync(master, "up");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await LabCommands.PingFrom(master.Namespace!, $"{_clusterNet}.1"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"master {master.Index}'s namespace does not reach {_clusterNet}.1 after the heal");
        }
    }

    private Task LinkAsync(ClusterMaster master, string state) => Placement == MasterPlacement.Namespaces
        ? LabCommands.Run("ip", "link", "set", ClusterLink(master.Index), state)
        : throw new InvalidOperationException("only masters in namespaces have a link to cut");

    /// <summary>Logs the admin in on the first master that answers, retrying while the cluster forms.</summary>
    private async Task LoginAsync(TimeSpan timeout)
    {
        using var http = NewClient(TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            foreach (var master in _masters)
            {
                try
                {
                    using var reply = await http.PostAsJsonAsync(new Uri(master.SecureUrl, "/api/v1/auth_proxy/login/"),
                        new { username = "admin", password = AdminPassword });
                    var body = await reply.Content.ReadAsStringAsync();
                    if (reply.IsSuccessStatusCode)
                    {
                        using var json = JsonDocument.Parse(body);
                        AdminToken = json.RootElement.GetProperty("token").GetString();
                        return;
                    }
                    last = $"{master.SecureUrl}: {(int)reply.StatusCode} {body.Trim()}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    last = $"{master.SecureUrl}: {ex.GetBaseException().Message}";
                }
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"no master let the lab's admin log in within {timeout.TotalSeconds:0} s; last: {last}");
    }

    private sealed class WithAdminToken(MasterCluster cluster) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (cluster.AdminToken is { } token && !request.Headers.Contains("X-Auth-Token")) request.Headers.Add("X-Auth-Token", token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Waits until a running master's <c>/info</c> lists exactly <paramref name="count"/> masters, all up.</summary>
    public async Task WaitForMastersUpAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            foreach (var master in _masters.Where(m => m.IsRunning))
            {
                var statuses = await master.MasterStatusesAsync();
                if (statuses is null) continue;
                last = $"{master.Seed}: {string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}"))}";
                if (statuses.Count == count && statuses.Values.All(s => s == "up")) return;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the cluster did not show {count} masters up within {timeout.TotalSeconds:0} s; last seen {last}");
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var master in _masters)
        {
            try { await master.DisposeAsync(); }
            catch (Exception ex) { failures.Add(ex); }
        }
        if (Postgres is not null)
        {
            try { await Postgres.DisposeAsync(); }
            catch (Exception ex) { failures.Add(ex); }
        }
        _net.Remove();
        _handler.Dispose();
        if (failures.Count > 0) throw new AggregateException("tearing the master cluster down", failures);
    }
}

/// <summary>One master of a <see cref="MasterCluster"/>: same addresses and journal across restarts.</summary>
public sealed class ClusterMaster : IAsyncDisposable
{
    private readonly MasterCluster _cluster;
    private readonly string _connectionString;
    private LabProcess? _process;

    public int Index { get; }
    public string? Namespace { get; }
    public string ClusterAddress { get; }
    public int RemotePort { get; }
    /// <summary>What the lab's clients use: the plain loopback listener in the root namespace, else <see cref="SecureUrl"/>.</summary>
    public Uri RestUrl { get; }
    /// <summary>The TLS listener (lab API certificate, token required).</summary>
    public Uri SecureUrl { get; }
    /// <summary>To <see cref="RestUrl"/>, with the admin's token.</summary>
    public HttpClient Http { get; }
    public string Seed => $"akka.ssl.tcp://contiv@{ClusterAddress}:{RemotePort.ToString(CultureInfo.InvariantCulture)}";
    public LabProcess Process => _process ?? throw new InvalidOperationException($"master {Index} was never started");
    public bool IsRunning => _process is { HasExited: false };

    private readonly Uri? _plainUrl;

    internal ClusterMaster(MasterCluster cluster, int index, string? ns, string clusterAddress, int remotePort, Uri? plainUrl, Uri secureUrl,
        string connectionString)
    {
        _cluster = cluster;
        Index = index;
        Namespace = ns;
        ClusterAddress = clusterAddress;
        RemotePort = remotePort;
        _plainUrl = plainUrl;
        SecureUrl = secureUrl;
        RestUrl = plainUrl ?? secureUrl;
        _connectionString = connectionString;
        Http = cluster.NewClient(TimeSpan.FromSeconds(30));
        Http.BaseAddress = RestUrl;
    }

    /// <summary>A client of the cluster's kind (the lab's certificate, the admin's token), with no base address.</summary>
    public HttpClient NewClient(TimeSpan timeout) => _cluster.NewClient(timeout);

    /// <summary>Starts (or starts again) the master and returns once it serves.</summary>
    public async Task StartAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        List<string> command = Namespace is null ? [] : ["ip", "netns", "exec", Namespace];
        var api = ClusterCertificates.Api;
        command.AddRange(["dotnet", Path.Combine(ClusterLab.BinaryDirectory, "contiv-master.dll"),
            .. _plainUrl is null ? Array.Empty<string>() : ["--listen", HostPort(_plainUrl)],
            "--secure-listen", HostPort(SecureUrl), "--tls-cert", api.Certificate, "--tls-key", api.Key!,
            "--admin-password", MasterCluster.AdminPassword,
            "--remote-host", ClusterAddress, "--remote-port", RemotePort.ToString(CultureInfo.InvariantCulture),
            "--journal", "postgres", "--connection-string", _connectionString, .. ClusterCertificates.Flags($"master-{Index}")]);
        foreach (var seed in _cluster.Seeds) command.AddRange(["--seed", seed]);
        _process = await LabProcess.StartAsync($"contiv-master {Index}", command, "contiv-master ready", TimeSpan.FromSeconds(90));
    }

    private static string HostPort(Uri url) => $"{url.Host}:{url.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>kill -9.</summary>
    public Task KillHardAsync() => Process.KillHardAsync();

    /// <summary>SIGTERM: a graceful leave.</summary>
    public Task StopAsync() => Process.StopAsync(TimeSpan.FromSeconds(20));

    /// <summary>The masters this one's <c>/info</c> lists, address → status; null when it does not answer.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> MasterStatusesAsync()
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var info = JsonDocument.Parse(await Http.GetStringAsync("/info", cancel.Token));
            return info.RootElement.GetProperty("netmaster-nodes").EnumerateArray()
                .ToDictionary(n => n.GetProperty("address").GetString()!, n => n.GetProperty("status").GetString()!);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is not null) await _process.DisposeAsync();
    }
}
