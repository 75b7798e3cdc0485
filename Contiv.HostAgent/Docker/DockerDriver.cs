using Akka.Actor;
using Contiv.HostAgent.Feed;
using Contiv.HostAgent.Host;
using Contiv.Messages.Api;

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
public sealed partial class DockerDriver(DockerDriverContext context)
{
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
