using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Contiv.Cni;

/// <summary>The host agent's local API (JSON over HTTP on its unix socket), with agent failures turned into CNI errors.</summary>
public sealed class AgentClient(string socket, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellation) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellation);
            }
            catch
            {
                s.Dispose();
                throw;
            }
            return new NetworkStream(s, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://contiv-agent"), Timeout = timeout };

    public string Socket => socket;

    public Task<(int Status, JsonObject Body)> PostAsync(string path, JsonObject body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") });

    public Task<(int Status, JsonObject Body)> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<(int Status, JsonObject Body)> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

    private async Task<(int Status, JsonObject Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request);
            }
            catch (HttpRequestException ex)
            {
                throw new CniError(CniError.TryAgainLater, $"the contiv agent is not reachable at {socket}: {ex.GetBaseException().Message}; is contiv-agent running on this host?");
            }
            catch (TaskCanceledException)
            {
                throw new CniError(CniError.TryAgainLater, $"the contiv agent at {socket} did not answer within {_http.Timeout.TotalSeconds:0} s; try again");
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                JsonObject body;
                try
                {
                    body = JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject ?? [];
                }
                catch (System.Text.Json.JsonException)
                {
                    body = new JsonObject { ["error"] = text };
                }
                return ((int)response.StatusCode, body);
            }
        }
    }

    /// <summary>An error answer of the agent as a CNI error: 503 try again later, 400/404/409 a configuration the agent refuses.</summary>
    public static CniError Refusal(int status, JsonObject body, string what)
    {
        var message = body["error"]?.GetValue<string>() ?? $"HTTP {status}";
        return status switch
        {
            503 => new CniError(CniError.TryAgainLater, $"{what}: the contiv agent is busy or not ready: {message}"),
            400 or 404 or 409 => new CniError(CniError.InvalidNetworkConfig, $"{what}: {message}"),
            _ => new CniError(CniError.IoFailure, $"{what}: the contiv agent answered {status}: {message}"),
        };
    }

    public void Dispose() => _http.Dispose();
}
