using System.Net.Sockets;
using System.Text;
using System.Net;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.Rest;

/// <summary>A master whose per-client rate is low enough to reach: 5 requests at once, then 1 per second.</summary>
public sealed class LowLimitMasterFixture : IAsyncLifetime
{
    public MasterProcess Master { get; private set; } = null!;
    private string _config = "";

    public async Task InitializeAsync()
    {
        _config = Path.Combine(Path.GetTempPath(), $"contiv-limits-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(_config, "contiv.master.limits { requests-per-second-per-client = 1, burst = 5 }\n");
        Master = await MasterProcess.StartAsync(extraArgs: ["--config", _config]);
    }

    public async Task DisposeAsync()
    {
        if (Master is not null) await Master.DisposeAsync();
        File.Delete(_config);
    }
}

[Trait("Category", "Auth")]
public sealed class RequestLimitTests(LowLimitMasterFixture fixture) : IClassFixture<LowLimitMasterFixture>
{
    [Fact]
    public async Task A_client_past_its_rate_gets_429_with_a_message()
    {
        var rest = new RestClient(fixture.Master.Http);
        var replies = new List<RestReply>();
        // 30 requests in a row: the bucket of 5 refills by 1 a second, so unless they take 25 s, some are refused.
        for (var i = 0; i < 30; i++) replies.Add(await rest.Get("tenants", "default"));

        Assert.All(replies.Take(5), r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var refused = replies.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Contains("too many requests", r.Body));
        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{r}"));
    }
}

/// <summary>A master that takes at most 4 open connections (contiv.master.limits.max-connections).</summary>
public sealed class FewConnectionsMasterFixture : IAsyncLifetime
{
    public const int MaxConnections = 4;
    public MasterProcess Master { get; private set; } = null!;
    private string _config = "";

    public async Task InitializeAsync()
    {
        _config = Path.Combine(Path.GetTempPath(), $"contiv-connections-{Guid.NewGuid():N}.hocon");
        await File.WriteAllTextAsync(_config, $"contiv.master.limits.max-connections = {MaxConnections}\n");
        Master = await MasterProcess.StartAsync(extraArgs: ["--config", _config]);
    }

    public async Task DisposeAsync()
    {
        if (Master is not null) await Master.DisposeAsync();
        File.Delete(_config);
    }
}

[Trait("Category", "Auth")]
public sealed class ConnectionLimitTests(FewConnectionsMasterFixture fixture) : IClassFixture<FewConnectionsMasterFixture>
{
    private const string Request = "GET /api/v1/tenants/default/ HTTP/1.1\r\nHost: x\r\n\r\n";

    [Fact]
    public async Task Connections_past_the_limit_are_closed_unanswered_and_the_held_ones_keep_being_served()
    {
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < FewConnectionsMasterFixture.MaxConnections; i++)
            {
                var socket = await Connect();
                held.Add(socket);
                Assert.StartsWith("HTTP/1.1 200", await Exchange(socket));
            }

            using (var extra = await Connect())
                Assert.Equal("", await Exchange(extra));

            // The held connections are still served, one after another, on the same sockets.
            foreach (var socket in held) Assert.StartsWith("HTTP/1.1 200", await Exchange(socket));

            // A freed place is taken by the next client (Kestrel counts the close a moment after it).
            held[0].Dispose();
            held.RemoveAt(0);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            string answer;
            do
            {
                using var next = await Connect();
                answer = await Exchange(next);
            } while (answer.Length == 0 && DateTime.UtcNow < deadline);
            Assert.StartsWith("HTTP/1.1 200", answer);
        }
        finally
        {
            foreach (var socket in held) socket.Dispose();
        }
    }

    private async Task<Socket> Connect()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream,
            ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Master.Port);
        return socket;
    }

    /// <summary>One request and its whole answer (by Content-Length or the last chunk), or "" if the master closed the connection.</summary>
    private static async Task<string> Exchange(Socket socket)
    {
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(Request));
        }
        catch (SocketException)
        {
            return "";
        }
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            int read;
            try { read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token); }
            catch (SocketException) { return ""; }
            if (read == 0) return received.Length == 0 ? "" : received.ToString();
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var text = received.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var length = text[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))?.Split(':')[1].Trim();
            var whole = length is null
                ? text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal)
                : Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length);
            if (whole) return text;
        }
    }
}
