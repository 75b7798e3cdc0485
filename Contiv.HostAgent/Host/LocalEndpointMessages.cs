using Contiv.Messages.Endpoints;

namespace Contiv.HostAgent.Host;

// What container runtimes ask of the agent (through the local API, later the Docker and CNI plugins).
// Answered with LocalEndpointReady / LocalEndpointDeleted, or a Contiv.Messages.Api.ApiError.

/// <param name="EndpointId">the attachment's id; the container id when not given</param>
/// <param name="NetnsPath">the container's network namespace, e.g. /var/run/netns/x or /proc/PID/ns/net</param>
/// <param name="InterfaceName">the interface inside the container (eth0 when not given)</param>
public sealed record LocalEndpointRequest(
    string Tenant,
    string Network,
    string? Group,
    string ContainerId,
    string NetnsPath,
    string? EndpointId = null,
    string? InterfaceName = null,
    string? ContainerName = null,
    string? Labels = null,
    string? PreferredIp = null)
{
    public string Id => EndpointId ?? ContainerId;
}

public sealed record CreateLocalEndpoint(LocalEndpointRequest Request);

public sealed record DeleteLocalEndpoint(string EndpointId);

public sealed record GetLocalEndpoint(string EndpointId);

public sealed record LocalEndpointReady(EndpointInfo Endpoint, string InterfaceName, string HostInterface, int OfPort, string NetnsPath);

public sealed record LocalEndpointDeleted(string EndpointId);
