using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Contiv.HostAgent.Docker;

/// <summary>
/// The driver's HTTP side on its unix socket: every call of libnetwork's remote network driver and IPAM
/// driver protocols, answered 200 with the result or with <c>{"Err": ...}</c>; malformed JSON 400 and
/// unknown calls 404, both with an Err too. Each call is logged with its time (the driver's share of
/// `docker run`).
/// </summary>
public static class DockerDriverServer
{
    private const string ContentType = "application/vnd.docker.plugins.v1+json";
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static void Map(WebApplication app, DockerDriver driver, bool logCalls)
    {
        void Post<TRequest>(string path, Func<TRequest, Task<object>> handle) where TRequest : class =>
            app.MapPost(path, (Func<HttpContext, Task<IResult>>)(http => AnswerAsync(http, path, handle, logCalls)));
        void Plain(string path, Func<object> answer) => Post<NoArguments>(path, _ => Task.FromResult(answer()));

        Plain("/Plugin.Activate", () => new { Implements = new[] { "NetworkDriver", "IpamDriver" } });

        Plain("/IpamDriver.GetCapabilities", DockerDriver.IpamCapabilities);
        Plain("/IpamDriver.GetDefaultAddressSpaces", DockerDriver.DefaultAddressSpaces);
        Post<RequestPoolRequest>("/IpamDriver.RequestPool", driver.RequestPoolAsync);
        Post<PoolRequest>("/IpamDriver.ReleasePool", r => Task.FromResult(DockerDriver.ReleasePool(r)));
        Post<RequestAddressRequest>("/IpamDriver.RequestAddress", driver.RequestAddressAsync);
        Post<ReleaseAddressRequest>("/IpamDriver.ReleaseAddress", driver.ReleaseAddressAsync);

        Plain("/NetworkDriver.GetCapabilities", driver.Capabilities);
        Post<NetworkRequest>("/NetworkDriver.CreateNetwork", driver.CreateNetworkAsync);
        Post<NetworkRequest>("/NetworkDriver.AllocateNetwork", driver.AllocateNetworkAsync);
        Post<NetworkRequest>("/NetworkDriver.DeleteNetwork", r => Task.FromResult(driver.DeleteNetwork(r)));
        Post<NetworkRequest>("/NetworkDriver.FreeNetwork", _ => Task.FromResult<object>(new { }));
        Post<CreateEndpointRequest>("/NetworkDriver.CreateEndpoint", driver.CreateEndpointAsync);
        Post<EndpointRequest>("/NetworkDriver.DeleteEndpoint", driver.DeleteEndpointAsync);
        Post<EndpointRequest>("/NetworkDriver.EndpointOperInfo", driver.EndpointOperInfoAsync);
        Post<JoinRequest>("/NetworkDriver.Join", driver.JoinAsync);
        // Leave: dockerd takes the interface back out of the container itself; DeleteEndpoint removes it.
        Post<EndpointRequest>("/NetworkDriver.Leave", _ => Task.FromResult<object>(new { }));
        // Discovery and external connectivity: Contiv learns hosts from the masters and gives no port mappings.
        Plain("/NetworkDriver.DiscoverNew", () => new { });
        Plain("/NetworkDriver.DiscoverDelete", () => new { });
        Post<EndpointRequest>("/NetworkDriver.ProgramExternalConnectivity", _ => Task.FromResult<object>(new { }));
        Post<EndpointRequest>("/NetworkDriver.RevokeExternalConnectivity", _ => Task.FromResult<object>(new { }));

        // Every call's path looks like a file name (a dot in it), which the default fallback pattern leaves out.
        app.MapFallback("{*path}", (HttpContext http) => Results.Json(
            new DockerError($"contiv: unknown call {http.Request.Method} {http.Request.Path}: this is a NetworkDriver and IpamDriver plugin"),
            Json, ContentType, 404));
    }

    private static async Task<IResult> AnswerAsync<TRequest>(HttpContext http, string path, Func<TRequest, Task<object>> handle, bool logCalls)
    {
        var watch = Stopwatch.StartNew();
        object answer;
        var status = 200;
        TRequest? request = default;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            var body = buffer.Length == 0 ? "{}"u8.ToArray() : buffer.ToArray();
            request = JsonSerializer.Deserialize<TRequest>(body, Json);
        }
        catch (JsonException ex)
        {
            status = 400;
            answer = new DockerError($"contiv: invalid JSON body for {path}: {ex.Message.Split('\n')[0]}");
            return Log(path, watch, status, answer, logCalls);
        }
        if (request is null)
        {
            answer = new DockerError($"contiv: invalid JSON body for {path}: expected an object, got null");
            return Log(path, watch, 400, answer, logCalls);
        }
        try
        {
            answer = await handle(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            answer = new DockerError($"contiv: {path} failed: {ex.GetBaseException().Message}");
        }
        return Log(path, watch, status, answer, logCalls);
    }

    private static IResult Log(string path, Stopwatch watch, int status, object answer, bool logCalls)
    {
        if (logCalls)
        {
            var ms = watch.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
            Console.WriteLine(answer is DockerError error ? $"contiv-agent docker: {path} {ms} ms Err: {error.Err}" : $"contiv-agent docker: {path} {ms} ms");
        }
        return Results.Json(answer, Json, ContentType, status);
    }

    /// <summary>The body of calls that take none (dockerd sends <c>{}</c> or nothing).</summary>
    private sealed record NoArguments;
}
