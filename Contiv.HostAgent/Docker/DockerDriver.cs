using System.Net;
using Akka.Actor;
using Contiv.HostAgent.Feed;
using Contiv.HostAgent.Host;
using Contiv.Messages.Api;
using Contiv.Messages.Feed;
using Contiv.Messages.Pools;
using Contiv.Messages.Sharding;

namespace Contiv.HostAgent.Docker;

/// <summary>What the driver works with: this host, the host agent, the masters' pools, the network map.</summary>
public sealed record DockerDriverContext(string Host, string Scope, Func<IActorRef> Agent, Func<IActorRef> Pools, DockerNetworkStore Networks, TimeSpan Timeout);

/// <summary>
/// libnetwork's remote network driver and IPAM driver over the host agent. IPAM: addresses are held in the
/// Contiv network's pool for Docker (per address space, and per host for the local space), before any
/// endpoint exists. Network driver: CreateEndpoint makes the Contiv endpoint with the address Docker's IPAM
/// gave (the pool lets it use that holding) and plumbs the veth with the peer left in the host namespace;
/// Join names that peer, and dockerd moves it into the container and sets its address and routes.
/// Every method answers the response object or a <see cref="DockerError"/>.
/// </summary>
public sealed class DockerDriver(DockerDriverContext context)
{
    public const string GatewayRequest = "com.docker.network.gateway";

    // ---- IPAM ------------------------------------------------------------------------------------

    public static object IpamCapabilities() => new { RequiresMACAddress = false, RequiresRequestReplay = false };

    public static object DefaultAddressSpaces() =>
        new { LocalDefaultAddressSpace = DockerNetworkMapping.LocalSpace, GlobalDefaultAddressSpace = DockerNetworkMapping.GlobalSpace };

    public async Task<object> RequestPoolAsync(RequestPoolRequest request)
    {
        if (request.V6) return new DockerError("contiv: IPv6 pools are not supported; create the network without --ipv6");
        if (!string.IsNullOrEmpty(request.SubPool))
            return new DockerError($"contiv: --ip-range {request.SubPool} is not supported; give the Contiv endpoint group an ipPool instead");
        var space = string.IsNullOrEmpty(request.AddressSpace) ? DockerNetworkMapping.LocalSpace : request.AddressSpace;
        if (space is not (DockerNetworkMapping.LocalSpace or DockerNetworkMapping.GlobalSpace))
            return new DockerError($"contiv: unknown address space {space}: use {DockerNetworkMapping.LocalSpace} or {DockerNetworkMapping.GlobalSpace}");
        var resolved = await ResolveAsync(request.Options ?? [], request.Pool);
        if (resolved.Error is not null) return resolved.Error;
        var target = resolved.Target!;
        return new RequestPoolResponse(DockerNetworkMapping.PoolId(space, target), target.Cidr, []);
    }

    public static object ReleasePool(PoolRequest request) =>
        DockerNetworkMapping.TryParsePoolId(request.PoolID, out _) ? new { } : UnknownPool(request.PoolID);

    public async Task<object> RequestAddressAsync(RequestAddressRequest request)
    {
        if (!DockerNetworkMapping.TryParsePoolId(request.PoolID, out var pool)) return UnknownPool(request.PoolID);
        var gateway = request.Options?.GetValueOrDefault("RequestAddressType") == GatewayRequest;
        var address = string.IsNullOrEmpty(request.Address) ? null : request.Address;
        if (address is not null && !IPAddress.TryParse(address, out _)) return new DockerError($"contiv: address {address} is not an IPv4 address");
        string? rangeOwner = null;
        if (pool.Group is { } group && !gateway)
        {
            // The group's ipPool as it is now: the range its endpoints must be in.
            var replica = await AskAsync(context.Agent(), new GetFeedReplica());
            if (replica is not FeedReplica current) return Refusal(replica);
            if (current.Views.GetValueOrDefault(new FeedKey(FeedKind.Group, $"{pool.Tenant}:{group}")) is not GroupView view)
                return new DockerError($"contiv: endpoint group {group} of tenant {pool.Tenant} no longer exists");
            rangeOwner = view.Config.IpPool is { Length: > 0 } ? PoolOwners.Group(group) : null;
        }
        var holder = DockerNetworkMapping.Holder(pool.Space, context.Host);
        var answer = await AskAsync(context.Pools(), new ShardEnvelope(PoolOwners.PoolId(pool.Tenant, pool.Network),
            new HoldIpamAddress(holder, address, gateway, rangeOwner)));
        return answer is AddressGranted granted
            ? new RequestAddressResponse($"{granted.Address}/{granted.PrefixLength}", [])
            : Refusal(answer);
    }

    public async Task<object> ReleaseAddressAsync(ReleaseAddressRequest request)
    {
        if (!DockerNetworkMapping.TryParsePoolId(request.PoolID, out var pool)) return UnknownPool(request.PoolID);
        if (string.IsNullOrEmpty(request.Address) || !IPAddress.TryParse(request.Address, out _))
            return new DockerError($"contiv: Address {request.Address}: an IPv4 address is required");
        var answer = await AskAsync(context.Pools(), new ShardEnvelope(PoolOwners.PoolId(pool.Tenant, pool.Network),
            new ReleaseIpamAddress(DockerNetworkMapping.Holder(pool.Space, context.Host), request.Address)));
        return answer is AddressReleased ? new { } : Refusal(answer);
    }

    // ---- network driver --------------------------------------------------------------------------

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

    // ---- helpers ---------------------------------------------------------------------------------

    private async Task<object> CheckNetworkAsync(NetworkRequest request)
    {
        if (string.IsNullOrEmpty(request.NetworkID)) return new DockerError("contiv: NetworkID is required");
        if (request.IPv6Data is { Count: > 0 }) return new DockerError("contiv: IPv6 is not supported; create the network without --ipv6");
        if (request.IPv4Data is not { Count: > 0 } ipv4)
            return new DockerError("contiv: the network has no IPv4 pool: create it with --ipam-driver contiv");
        if (ipv4.Count > 1) return new DockerError("contiv: one IPv4 subnet per network: give one --subnet");
        var resolved = await ResolveAsync(DockerNetworkMapping.DriverOptions(request.Options), ipv4[0].Pool);
        if (resolved.Error is not null) return resolved.Error;
        var target = resolved.Target!;
        var gateway = ipv4[0].Gateway?.Split('/')[0];
        if (target.Gateway is not null && !string.IsNullOrEmpty(gateway) && gateway != target.Gateway)
            return new DockerError($"contiv: gateway {gateway} is not the gateway of Contiv {target.Describe()} ({target.Gateway}): create the network with --ipam-driver contiv");
        return target;
    }

    private async Task<(ContivTarget? Target, DockerError? Error)> ResolveAsync(IReadOnlyDictionary<string, string> options, string? subnet)
    {
        var replica = await AskAsync(context.Agent(), new GetFeedReplica());
        if (replica is not FeedReplica current) return (null, Refusal(replica));
        var (target, error) = DockerNetworkMapping.Resolve(options, string.IsNullOrEmpty(subnet) ? null : subnet, current.Views);
        return error is null ? (target, null) : (null, new DockerError("contiv: " + error));
    }

    private async Task<object> AskAsync(IActorRef target, object message)
    {
        try
        {
            return await target.Ask<object>(message, context.Timeout);
        }
        catch (AskTimeoutException)
        {
            return ApiError.Unavailable($"no answer within {context.Timeout.TotalSeconds:0} s from {(target.Path.Name == "host" ? "the agent" : "the masters")}; retry");
        }
    }

    private static DockerError Refusal(object answer) => answer switch
    {
        ApiError error => new DockerError("contiv: " + error.Message),
        _ => new DockerError($"contiv: unexpected answer {answer.GetType().Name}"),
    };

    private static DockerError? Ids(string? networkId, string? endpointId) =>
        string.IsNullOrEmpty(networkId) ? new DockerError("contiv: NetworkID is required")
        : string.IsNullOrEmpty(endpointId) || endpointId.Length > 128 || !endpointId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? new DockerError($"contiv: EndpointID {endpointId}: 1-128 letters, digits, '.', '_' or '-'")
            : null;

    private static DockerError UnknownPool(string? poolId) =>
        new($"contiv: unknown pool {poolId}: not a pool this IPAM driver gave (RequestPool answers contiv-local:... or contiv-global:...)");

    private DockerError UnknownNetwork(string networkId) =>
        new($"contiv: Docker network {networkId} was not created through the contiv agent on host {context.Host} " +
            "(its CreateNetwork was refused or went to another driver); remove and create the network again");
}
