using System.Text.Json;

namespace Contiv.HostAgent.Docker;

// libnetwork's remote network driver and IPAM driver protocol, as dockerd 20.10 sends it: JSON bodies
// with Go's field names, POSTed to /NetworkDriver.* and /IpamDriver.*. Answers carry "Err" when refused.

public sealed record RequestPoolRequest(string? AddressSpace, string? Pool, string? SubPool, Dictionary<string, string>? Options, bool V6);

public sealed record RequestPoolResponse(string PoolID, string Pool, Dictionary<string, string> Data);

public sealed record PoolRequest(string? PoolID);

public sealed record RequestAddressRequest(string? PoolID, string? Address, Dictionary<string, string>? Options);

public sealed record RequestAddressResponse(string Address, Dictionary<string, string> Data);

public sealed record ReleaseAddressRequest(string? PoolID, string? Address);

public sealed record IpamData(string? AddressSpace, string? Pool, string? Gateway);

/// <summary>CreateNetwork (options under <c>com.docker.network.generic</c>) and AllocateNetwork (options at the top) alike.</summary>
public sealed record NetworkRequest(string? NetworkID, Dictionary<string, JsonElement>? Options, List<IpamData>? IPv4Data, List<IpamData>? IPv6Data);

public sealed record EndpointInterface(string? Address, string? AddressIPv6, string? MacAddress);

public sealed record CreateEndpointRequest(string? NetworkID, string? EndpointID, EndpointInterface? Interface);

/// <summary>DeleteEndpoint, EndpointOperInfo, Leave, ProgramExternalConnectivity, RevokeExternalConnectivity.</summary>
public sealed record EndpointRequest(string? NetworkID, string? EndpointID);

public sealed record JoinRequest(string? NetworkID, string? EndpointID, string? SandboxKey);

public sealed record JoinInterfaceName(string SrcName, string DstPrefix);

public sealed record StaticRoute(string Destination, int RouteType, string? NextHop);

public sealed record JoinResponse(JoinInterfaceName InterfaceName, string? Gateway, IReadOnlyList<StaticRoute> StaticRoutes, bool DisableGatewayService);

/// <summary>
/// A refusal, which dockerd shows to the user. The network driver protocol reads it from <c>Err</c>, the
/// IPAM protocol from <c>Error</c> (libnetwork's ipams/remote/api): both are written.
/// </summary>
public sealed record DockerError(string Err)
{
    public string Error => Err;
}
