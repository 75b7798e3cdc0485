using Contiv.HostAgent.Host;

namespace Contiv.HostAgent.Docker;

/// <summary>The network driver: Docker networks map to Contiv networks, Docker endpoints are Contiv endpoints.</summary>
public sealed partial class DockerDriver
{
    public object Capabilities() => new { Scope = context.Scope, ConnectivityScope = context.Scope };

    /// <summary>
    /// AllocateNetwork (a swarm manager, once per network): checked like CreateNetwork. The options it answers
    /// are what every node's CreateNetwork gets (the <c>-o</c> options do not reach the nodes), so they name
    /// the Contiv network and group in full.
    /// </summary>
    public async Task<object> AllocateNetworkAsync(NetworkRequest request)
    {
        var checkedNetwork = await CheckNetworkAsync(request);
        if (checkedNetwork is not ContivTarget target) return checkedNetwork;
        var options = new Dictionary<string, string>
        {
            [DockerNetworkMapping.TenantOption] = target.Tenant,
            [DockerNetworkMapping.NetworkOption] = target.Network,
        };
        if (target.Group is { } group) options[DockerNetworkMapping.GroupOption] = group;
        return new { Options = options };
    }

    public async Task<object> CreateNetworkAsync(NetworkRequest request)
    {
        var checkedNetwork = await CheckNetworkAsync(request);
        if (checkedNetwork is not ContivTarget target) return checkedNetwork;
        context.Networks.Put(request.NetworkID!, new DockerNetworkRecord(target.Tenant, target.Network, target.Group));
        return new { };
    }

    public object DeleteNetwork(NetworkRequest request)
    {
        if (string.IsNullOrEmpty(request.NetworkID)) return new DockerError("contiv: NetworkID is required");
        context.Networks.Remove(request.NetworkID);
        return new { };
    }

    public async Task<object> CreateEndpointAsync(CreateEndpointRequest request)
    {
        if (Ids(request.NetworkID, request.EndpointID) is { } bad) return bad;
        if (context.Networks.Find(request.NetworkID!) is not { } network) return UnknownNetwork(request.NetworkID!);
        var address = request.Interface?.Address;
        if (string.IsNullOrEmpty(address))
            return new DockerError("contiv: the endpoint has no IPv4 address: create the network with --ipam-driver contiv");
        if (!string.IsNullOrEmpty(request.Interface?.AddressIPv6)) return new DockerError("contiv: IPv6 addresses are not supported");
        if (!string.IsNullOrEmpty(request.Interface?.MacAddress))
            return new DockerError("contiv: --mac-address is not supported: Contiv derives each endpoint's MAC from its address");
        var ip = address.Split('/')[0];
        var answer = await AskAsync(context.Agent(), new CreateLocalEndpoint(new LocalEndpointRequest(
            network.Tenant, network.Network, network.Group, request.EndpointID!, NetnsPath: null, EndpointId: request.EndpointID,
            PreferredIp: ip, AddressFromIpam: true)));
        if (answer is not LocalEndpointReady ready) return Refusal(answer);
        if (ready.Endpoint.IpAddress != ip)
            return new DockerError($"contiv: endpoint {request.EndpointID} already exists with address {ready.Endpoint.IpAddress}, not {ip}");
        return new { Interface = new { MacAddress = ready.Endpoint.MacAddress } };
    }

    public async Task<object> DeleteEndpointAsync(EndpointRequest request)
    {
        if (Ids(request.NetworkID, request.EndpointID) is { } bad) return bad;
        var answer = await AskAsync(context.Agent(), new DeleteLocalEndpoint(request.EndpointID!));
        return answer is LocalEndpointDeleted ? new { } : Refusal(answer);
    }

    public async Task<object> JoinAsync(JoinRequest request)
    {
        if (Ids(request.NetworkID, request.EndpointID) is { } bad) return bad;
        if (string.IsNullOrEmpty(request.SandboxKey)) return new DockerError("contiv: SandboxKey is required");
        var answer = await AskAsync(context.Agent(), new GetLocalEndpoint(request.EndpointID!));
        if (answer is not LocalEndpointReady ready) return Refusal(answer);
        // The peer's name follows from the endpoint id (also for an endpoint a restarted agent adopted).
        // The interface is on the Contiv network's subnet; beyond it, only the gateway (when the network has one).
        return new JoinResponse(new JoinInterfaceName(Plumbing.EndpointNames.TemporaryPeer(request.EndpointID!), "eth"),
            ready.Endpoint.Gateway, [], DisableGatewayService: false);
    }

    public async Task<object> EndpointOperInfoAsync(EndpointRequest request)
    {
        if (Ids(request.NetworkID, request.EndpointID) is { } bad) return bad;
        var answer = await AskAsync(context.Agent(), new GetLocalEndpoint(request.EndpointID!));
        if (answer is not LocalEndpointReady ready) return new { Value = new Dictionary<string, string>() };
        var spec = ready.Endpoint.Spec;
        var value = new Dictionary<string, string>
        {
            ["contiv.tenant"] = spec.Tenant,
            ["contiv.network"] = spec.Network,
            ["contiv.address"] = $"{ready.Endpoint.IpAddress}/{ready.Endpoint.PrefixLength}",
            ["contiv.host_interface"] = ready.HostInterface,
            ["contiv.ofport"] = ready.OfPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (spec.Group is { } group) value["contiv.group"] = group;
        return new { Value = value };
    }
}
