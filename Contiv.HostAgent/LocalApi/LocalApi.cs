using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Akka.Actor;
using Contiv.HostAgent.Host;
using Contiv.Messages.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Contiv.HostAgent.LocalApi;

/// <summary>The body of <c>POST /v1/endpoints</c>.</summary>
public sealed record EndpointRequestBody(
    [property: JsonPropertyName("tenant")] string? Tenant,
    [property: JsonPropertyName("network")] string? Network,
    [property: JsonPropertyName("group")] string? Group,
    [property: JsonPropertyName("containerId")] string? ContainerId,
    [property: JsonPropertyName("netns")] string? Netns,
    [property: JsonPropertyName("endpointId")] string? EndpointId = null,
    [property: JsonPropertyName("interface")] string? Interface = null,
    [property: JsonPropertyName("containerName")] string? ContainerName = null,
    [property: JsonPropertyName("labels")] string? Labels = null,
    [property: JsonPropertyName("ip")] string? Ip = null);

/// <summary>
/// The agent's API for container runtimes, JSON over HTTP on a unix socket:
/// <c>POST /v1/endpoints</c>, <c>GET /v1/endpoints[?label=k=v]</c> (this host's, as the masters list them),
/// <c>GET|DELETE /v1/endpoints/{id}</c>, <c>GET /v1/endpoints/{id}/check</c> (veth, OVS port and flows as they
/// are now), <c>GET /v1/status</c>.
/// Errors are <c>{"error": "..."}</c> with 400/404/409/503, naming the field and the rule.
/// </summary>
public static partial class LocalApiRoutes
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static void Map(WebApplication app, Func<IActorRef> agent, TimeSpan timeout)
    {
        app.MapPost("/v1/endpoints", async (HttpContext http) =>
        {
            EndpointRequestBody? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<EndpointRequestBody>(http.Request.Body, Json);
            }
            catch (JsonException ex)
            {
                return Error(400, $"invalid JSON body: {ex.Message.Split('\n')[0]}");
            }
            if (body is null) return Error(400, "invalid JSON body: expected an object");
            if (Validate(body) is { } problem) return Error(400, problem);
            var request = new LocalEndpointRequest(body.Tenant!, body.Network!, NullIfEmpty(body.Group), body.ContainerId!, body.Netns!,
                NullIfEmpty(body.EndpointId), NullIfEmpty(body.Interface), body.ContainerName, body.Labels, NullIfEmpty(body.Ip));
            return await Ask(agent(), new CreateLocalEndpoint(request), timeout);
        });
        app.MapGet("/v1/endpoints", (string? label) => Ask(agent(), new ListLocalEndpoints(string.IsNullOrEmpty(label) ? null : label), timeout));
        app.MapGet("/v1/endpoints/{id}", (string id) => ValidId(id) ? Ask(agent(), new GetLocalEndpoint(id), timeout) : Task.FromResult(BadId(id)));
        app.MapGet("/v1/endpoints/{id}/check", (string id) => ValidId(id) ? Ask(agent(), new CheckLocalEndpoint(id), timeout) : Task.FromResult(BadId(id)));
        app.MapDelete("/v1/endpoints/{id}", (string id) => ValidId(id) ? Ask(agent(), new DeleteLocalEndpoint(id), timeout) : Task.FromResult(BadId(id)));
        app.MapGet("/v1/status", () => Ask(agent(), new GetAgentStatus(), timeout));
        app.MapFallback((HttpContext http) => Error(404, $"no such route {http.Request.Method} {http.Request.Path}: use /v1/endpoints or /v1/status"));
    }

    private static string? Validate(EndpointRequestBody body)
    {
        if (string.IsNullOrEmpty(body.Tenant)) return "tenant is required";
        if (string.IsNullOrEmpty(body.Network)) return "network is required";
        if (string.IsNullOrEmpty(body.ContainerId)) return "containerId is required";
        if (!ValidId(body.ContainerId)) return $"containerId {body.ContainerId}: 1-128 letters, digits, '.', '_' or '-'";
        if (!string.IsNullOrEmpty(body.EndpointId) && !ValidId(body.EndpointId)) return $"endpointId {body.EndpointId}: 1-128 letters, digits, '.', '_' or '-'";
        if (string.IsNullOrEmpty(body.Netns)) return "netns is required: the path of the container's network namespace";
        if (!Path.IsPathFullyQualified(body.Netns)) return $"netns {body.Netns}: must be an absolute path";
        if (!string.IsNullOrEmpty(body.Ip) && !System.Net.IPAddress.TryParse(body.Ip, out _)) return $"ip {body.Ip}: not an IPv4 address";
        return null;
    }

    private static bool ValidId(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex IdPattern();

    private static IResult BadId(string id) => Error(400, $"endpoint id {id}: 1-128 letters, digits, '.', '_' or '-'");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task<IResult> Ask(IActorRef agent, object request, TimeSpan timeout)
    {
        object answer;
        try
        {
            answer = await agent.Ask<object>(request, timeout);
        }
        catch (AskTimeoutException)
        {
            return Error(503, $"the agent did not answer within {timeout.TotalSeconds:0} s; retry");
        }
        return answer switch
        {
            ApiError error => Error(error.HttpStatus, error.Message),
            LocalEndpointReady ready => Results.Json(EndpointResult.From(ready), Json),
            LocalEndpointChecked checkedOk => Results.Json(new
            {
                endpointId = checkedOk.EndpointId, hostInterface = checkedOk.HostInterface, ofport = checkedOk.OfPort, flows = checkedOk.Flows,
            }, Json),
            LocalEndpointDeleted deleted => Results.Json(new { endpointId = deleted.EndpointId, deleted = true }, Json),
            LocalEndpointList list => Results.Json(new
            {
                endpoints = list.Endpoints.Select(e => new
                {
                    endpointId = e.Id, tenant = e.Spec.Tenant, network = e.Spec.Network, group = e.Spec.Group, containerId = e.Spec.ContainerId,
                    containerName = e.Spec.ContainerName, labels = e.Spec.Labels, ip = e.IpAddress,
                }),
            }, Json),
            AgentStatus status => Results.Json(status, Json, statusCode: status.Ready ? 200 : 503),
            _ => Error(500, $"unexpected answer {answer.GetType().Name}"),
        };
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, Json, statusCode: status);
}

/// <summary>What a runtime needs to finish the container's network: where the interface is and its addresses.</summary>
public sealed record EndpointResult(
    [property: JsonPropertyName("endpointId")] string EndpointId,
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("network")] string Network,
    [property: JsonPropertyName("group")] string? Group,
    [property: JsonPropertyName("containerId")] string ContainerId,
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("prefixLength")] int PrefixLength,
    [property: JsonPropertyName("mac")] string Mac,
    [property: JsonPropertyName("gateway")] string? Gateway,
    [property: JsonPropertyName("interface")] string Interface,
    [property: JsonPropertyName("hostInterface")] string HostInterface,
    [property: JsonPropertyName("ofport")] int OfPort,
    [property: JsonPropertyName("netns")] string Netns)
{
    public static EndpointResult From(LocalEndpointReady ready) => new(
        ready.Endpoint.Id, ready.Endpoint.Spec.Tenant, ready.Endpoint.Spec.Network, ready.Endpoint.Spec.Group, ready.Endpoint.Spec.ContainerId,
        ready.Endpoint.IpAddress, ready.Endpoint.PrefixLength, ready.Endpoint.MacAddress, ready.Endpoint.Gateway,
        ready.InterfaceName, ready.HostInterface, ready.OfPort, ready.NetnsPath);
}
