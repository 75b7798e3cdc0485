namespace Contiv.Messages.Pools;

/// <summary>
/// Who holds an address of a pool. Owners hold one address each: the gateway, a service
/// (<c>svc:</c>), an endpoint (<c>ep:</c>); groups hold ranges (<c>epg:</c>). Docker's IPAM is not an
/// owner but a set of holders per address (<see cref="DockerGlobal"/>, <see cref="DockerLocal"/>): swarm
/// asks for the same address once in its global space on a manager and again in the local space of the
/// node that runs the task, and the address stays taken until the last of them lets it go.
/// </summary>
public static class PoolOwners
{
    public const string Gateway = "gateway";
    public const string EndpointPrefix = "ep:";
    public const string ServicePrefix = "svc:";
    public const string GroupPrefix = "epg:";

    /// <summary>Docker's global address space (swarm-scoped networks, allocated by a manager).</summary>
    public const string DockerGlobal = "docker-global";

    /// <summary>Docker's local address space on one host (local networks, and swarm networks on the node that runs the task).</summary>
    public static string DockerLocal(string host) => "docker-local@" + host;

    public static string Group(string group) => GroupPrefix + group;

    /// <summary>The pool entity of a network (shard region <c>pool</c>).</summary>
    public static string PoolId(string tenant, string network) => $"{tenant}:{network}";
}
