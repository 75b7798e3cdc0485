// The namespace stays Contiv.Master.Sharding so that the entities (Entities/Tenants, Entities/Endpoints)
// that use these keys need no change for the move.
namespace Contiv.Master.Sharding;

/// <summary>Registry keys for the shard regions (Akka.Hosting's ActorRegistry).</summary>
public sealed class GlobalRegion;

public sealed class TenantRegion;

public sealed class PoolRegion;

public sealed class EndpointRegion;

/// <summary>The one access entity: users, authorizations, sessions.</summary>
public sealed class AccessRegion;

/// <summary>Registry key of this master's read model.</summary>
public sealed class ReadModel;

/// <summary>Registry key of the proxy to the state feed singleton.</summary>
public sealed class StateFeed;

/// <summary>Entity ids: one global, one per tenant, one pool per network keyed <c>tenant:network</c>.</summary>
public static class EntityIds
{
    public const string Global = "global";
    public static string Pool(string tenant, string network) => Messages.Pools.PoolOwners.PoolId(tenant, network);
}
