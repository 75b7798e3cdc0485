using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Contiv.Lab;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;

namespace Contiv.Tests.ClusterTests;

/// <summary>One write of the load: a REST object (plural + key + body) or an endpoint created through the cluster.</summary>
public sealed record MasterWrite(string Plural, string Key, string Body, EndpointSpec? Endpoint = null)
{
    /// <summary>2xx (or EndpointReady): the masters promised it.</summary>
    public bool Acknowledged { get; set; }
    public string Outcome { get; set; } = "not sent";
    /// <summary>For endpoints: the address the masters gave.</summary>
    public string? Address { get; set; }

    public static MasterWrite Rest(string plural, string key, string body) => new(plural, key, body);
    public static MasterWrite ForEndpoint(string id, EndpointSpec spec) => new("endpoints", id, "", spec);
}

/// <summary>
/// REST calls to the masters with a bounded wait, as an operator's tooling makes them: a refused connection
/// (the master is dead) goes to the next master, since that request never arrived; anything else is the answer.
/// </summary>
public sealed class MasterClients : IDisposable
{
    private readonly IReadOnlyList<ClusterMaster> _masters;
    private readonly HttpClient _http;

    public MasterClients(IReadOnlyList<ClusterMaster> masters)
    {
        _masters = masters;
        _http = masters[0].NewClient(TimeSpan.FromSeconds(25));
    }

    public async Task<(HttpStatusCode? Status, string Body)> SendAsync(HttpMethod method, string path, string? body, int firstMaster)
    {
        HttpRequestException? refused = null;
        for (var attempt = 0; attempt < _masters.Count; attempt++)
        {
            var master = _masters[(firstMaster + attempt) % _masters.Count];
            using var request = new HttpRequestMessage(method, new Uri(master.RestUrl, path));
            if (body is not null) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            try
            {
                using var response = await _http.SendAsync(request);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
            {
                refused = ex;
            }
            catch (HttpRequestException ex)
            {
                return (null, $"{master.RestUrl}: {ex.Message}");
            }
            catch (TaskCanceledException)
            {
                return (null, $"{master.RestUrl}: no answer within {_http.Timeout.TotalSeconds:0} s");
            }
        }
        return (null, $"no master accepts connections: {refused?.Message}");
    }

    public Task<(HttpStatusCode? Status, string Body)> GetAsync(string path, int firstMaster) => SendAsync(HttpMethod.Get, path, null, firstMaster);

    /// <summary>GET that must answer 200, retried for a while (a shard may still be starting on a survivor).</summary>
    public async Task<JsonNode> GetJsonAsync(string path, int firstMaster, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var (status, body) = await GetAsync(path, firstMaster++);
            if (status == HttpStatusCode.OK) return JsonNode.Parse(body)!;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"GET {path}: {(int?)status} {body}");
            await Task.Delay(250);
        }
    }

    public async Task PostOkAsync(string plural, string key, string body)
    {
        var (status, reply) = await SendAsync(HttpMethod.Post, $"/api/v1/{plural}/{key}/", body, 0);
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"POST {plural}/{key}: {(int?)status} {reply}");
    }

    /// <summary>The cluster address of the master a tenant's entity runs on (tenant inspect's <c>servedBy</c>).</summary>
    public async Task<string> ServedByAsync(string tenant, int firstMaster) =>
        (await GetJsonAsync($"/api/v1/inspect/tenants/{tenant}/", firstMaster, TimeSpan.FromSeconds(30)))["Oper"]!["servedBy"]!.GetValue<string>();

    /// <summary>POST retried until it answers 200 (a survivor may still be taking over the entity).</summary>
    public async Task PostUntilOkAsync(string plural, string key, string body, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var (status, reply) = await SendAsync(HttpMethod.Post, $"/api/v1/{plural}/{key}/", body, 0);
            if (status == HttpStatusCode.OK) return;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"POST {plural}/{key}: {(int?)status} {reply}");
            await Task.Delay(250);
        }
    }

    /// <summary>Runs one write through master <paramref name="firstMaster"/> (REST) or the endpoint node, and records what came back.</summary>
    public async Task RunAsync(MasterWrite write, int firstMaster, EndpointClientNode endpoints)
    {
        if (write.Endpoint is { } spec)
        {
            var answer = await endpoints.CreateAsync(write.Key, spec, TimeSpan.FromSeconds(25));
            write.Acknowledged = answer is EndpointInfo;
            write.Address = (answer as EndpointInfo)?.IpAddress;
            write.Outcome = answer switch { EndpointInfo info => $"ready {info.IpAddress}", ApiError error => error.Message, _ => "no answer" };
            return;
        }
        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/{write.Plural}/{write.Key}/", write.Body, firstMaster);
        write.Acknowledged = status == HttpStatusCode.OK;
        write.Outcome = status is null ? body : $"{(int)status.Value} {body.Trim()}";
    }

    public void Dispose() => _http.Dispose();
}
