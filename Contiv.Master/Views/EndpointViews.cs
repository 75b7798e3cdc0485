using System.Text.Json.Nodes;
using Contiv.Messages.Endpoints;

namespace Contiv.Master.Views;

/// <summary>Endpoints as the original's inspect showed them (model endpoint.json's oper fields).</summary>
public static class EndpointViews
{
    public static JsonObject Oper(EndpointInfo endpoint) => new JsonObject()
        .With("endpointID", endpoint.Id)
        .With("network", $"{endpoint.Spec.Network}.{endpoint.Spec.Tenant}")
        .With("endpointGroupKey", endpoint.GroupKey)
        .With("ipAddress", new JsonArray(endpoint.IpAddress))
        .With("macAddress", endpoint.MacAddress)
        .With("homingHost", endpoint.Spec.Host)
        .With("containerID", endpoint.Spec.ContainerId)
        .With("containerName", endpoint.Spec.ContainerName)
        .With("labels", endpoint.Spec.Labels);

    /// <summary><c>/api/v1/inspect/endpoints/&lt;id&gt;/</c>: the original answered with Oper only.</summary>
    public static string Inspect(EndpointInfo endpoint) => new JsonObject { ["Oper"] = Oper(endpoint) }.ToJsonString();

    public static JsonArray List(IEnumerable<EndpointInfo> endpoints) => [.. endpoints.Select(e => (JsonNode)Oper(e))];
}
