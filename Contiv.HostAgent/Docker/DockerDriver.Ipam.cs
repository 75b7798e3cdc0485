using System.Net;
using Contiv.HostAgent.Feed;
using Contiv.HostAgent.Host;
using Contiv.Messages.Feed;
using Contiv.Messages.Pools;
using Contiv.Messages.Sharding;

namespace Contiv.HostAgent.Docker;

/// <summary>The IPAM driver: pools name Contiv networks, addresses are held in their pools for Docker.</summary>
public sealed partial class DockerDriver
{
    public const string GatewayRequest = "com.docker.network.gateway";

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
}
