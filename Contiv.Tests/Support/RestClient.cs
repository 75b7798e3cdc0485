using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Contiv.Tests.Support;

/// <summary>The answer to one REST call: status and raw body (plain text on errors).</summary>
public sealed record RestReply(HttpStatusCode Status, string Body)
{
    public bool Ok => (int)Status is >= 200 and < 300;
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");
    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>
/// Talks to the v1 API the way the original netctl does: no Content-Type, POST for
/// create-or-update, keys joined with ':' and a trailing slash.
/// </summary>
public sealed class RestClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public Task<RestReply> Post(string plural, string key, object body) =>
        Send(HttpMethod.Post, $"/api/v1/{plural}/{key}/", Serialize(body));

    public Task<RestReply> Put(string plural, string key, object body) =>
        Send(HttpMethod.Put, $"/api/v1/{plural}/{key}/", Serialize(body));

    public Task<RestReply> PostRaw(string path, string body) => Send(HttpMethod.Post, path, body);

    public Task<RestReply> Get(string plural, string key) => Send(HttpMethod.Get, $"/api/v1/{plural}/{key}/", null);

    public Task<RestReply> List(string plural) => Send(HttpMethod.Get, $"/api/v1/{plural}/", null);

    public Task<RestReply> Delete(string plural, string key) => Send(HttpMethod.Delete, $"/api/v1/{plural}/{key}/", null);

    public Task<RestReply> Inspect(string plural, string key) => Send(HttpMethod.Get, $"/api/v1/inspect/{plural}/{key}/", null);

    public Task<RestReply> GetPath(string path) => Send(HttpMethod.Get, path, null);

    public async Task<RestReply> Send(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            // netctl sends no Content-Type: mimic it.
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        }
        using var response = await Http.SendAsync(request);
        return new RestReply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Serialize(object body) => body as string ?? JsonSerializer.Serialize(body);
}
