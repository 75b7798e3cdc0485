using Contiv.Messages.Endpoints;

namespace Contiv.HostAgent.Host;

// What container runtimes ask of the agent (through the local API, later the Docker and CNI plugins).
// Answered with LocalEndpointReady / LocalEndpointDeleted, or a Contiv.Messages.Api.ApiError.

/// <param name="EndpointId">the attachment's id; the container id when not given</param>
/// <param name="NetnsPath">the container's network namespace, e.g. /var/run/netns/x or /proc/PID/ns/net; null when the
/// runtime moves the interface itself (Docker), which then finds it in the host namespace under its temporary name</param>
/// <param name="AddressFromIpam">the preferred address was given by Docker's IPAM (see EndpointSpec)</param>
/// <param name="InterfaceName">the interface inside the container (eth0 when not given)</param>
public sealed record LocalEndpointRequest(
    string Tenant,
    string Network,
    string? Group,
    string ContainerId,
    string? NetnsPath,
    string? EndpointId = null,
    string? InterfaceName = null,
    string? ContainerName = null,
    string? Labels = null,
    string? PreferredIp = null,
    bool AddressFromIpam = false)
{
    public string Id => EndpointId ?? ContainerId;
}

public sealed record CreateLocalEndpoint(LocalEndpointRequest Request);

public sealed record DeleteLocalEndpoint(string EndpointId);

public sealed record GetLocalEndpoint(string EndpointId);

/// <summary>Checks an attached endpoint against the host as it is now: veth, OVS port, and its flows read back from the switch.
/// Answered with <see cref="LocalEndpointChecked"/> or an ApiError saying what is wrong.</summary>
public sealed record CheckLocalEndpoint(string EndpointId);

public sealed record LocalEndpointChecked(string EndpointId, string HostInterface, int OfPort, int Flows);

/// <param name="NetnsPath">"" when the runtime moves the interface itself; <paramref name="InterfaceName"/> is then the name it is left under</param>
public sealed record LocalEndpointReady(EndpointInfo Endpoint, string InterfaceName, string HostInterface, int OfPort, string NetnsPath);

public sealed record LocalEndpointDeleted(string EndpointId);

/// <summary>The endpoints the masters list for this host, those whose labels hold <paramref name="Label"/> (k=v) when given.</summary>
public sealed record ListLocalEndpoints(string? Label);

public sealed record LocalEndpointList(System.Collections.Immutable.ImmutableArray<EndpointInfo> Endpoints);
