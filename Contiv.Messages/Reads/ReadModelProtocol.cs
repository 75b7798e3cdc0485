using System.Collections.Immutable;
using Contiv.Messages.Tenancy;

namespace Contiv.Messages.Reads;

/// <summary>Where a source's published changes stand: they are numbered per start (incarnation) of its entity.</summary>
/// <param name="Source">a tenant's name, or <see cref="ReadSources.Global"/></param>
public sealed record ReadVersion(string Source, Guid Incarnation, long Seq) : Serialization.IContivWire;

/// <summary>The sources of the read models: every tenant (under its name) and global.</summary>
public static class ReadSources
{
    /// <summary>No tenant can have this name (a tenant name is a label: letters, digits, dashes).</summary>
    public const string Global = "/global";
}

/// <summary>
/// The events of one durable write of a tenant, in the order the entity applied them, published to every
/// master's read model. A read model that sees a gap in <paramref name="Seq"/> or an incarnation it does not
/// know asks the tenant for a <see cref="TenantDump"/>.
/// </summary>
public sealed record TenantChanged(string Tenant, Guid Incarnation, long Seq, ImmutableArray<ITenantEvent> Events) : Serialization.IContivWire;

/// <summary>Everything a tenant holds as of its change <paramref name="Seq"/>, and the cluster address of the master its entity runs on.</summary>
public sealed record TenantDump(string Tenant, Guid Incarnation, long Seq, TenantSnapshot Snapshot, string ServedBy) : Serialization.IContivWire;

/// <summary>Asks a tenant for a <see cref="TenantDump"/>, answered to the sender.</summary>
public sealed record DumpTenant : Serialization.IContivWire;

/// <summary>The events of one durable write of global (settings, Bgp, tags, the tenant directory), published to every master's read model.</summary>
public sealed record GlobalChanged(Guid Incarnation, long Seq, ImmutableArray<Globals.IGlobalEvent> Events) : Serialization.IContivWire;

/// <summary>Everything global holds as of its change <paramref name="Seq"/>.</summary>
public sealed record GlobalDump(Guid Incarnation, long Seq, Globals.GlobalSnapshot Snapshot) : Serialization.IContivWire;

/// <summary>Asks global for a <see cref="GlobalDump"/>, answered to the sender.</summary>
public sealed record DumpGlobal : Serialization.IContivWire;

/// <summary>The DistributedPubSub topic every master's read model subscribes to.</summary>
public static class ReadModelTopic
{
    public const string Name = "contiv-read-model";
}
