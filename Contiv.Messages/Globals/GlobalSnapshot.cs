using System.Collections.Immutable;
using Contiv.Messages.Model;

namespace Contiv.Messages.Globals;

/// <summary>The <c>global</c> entity's state as saved in the snapshot store.</summary>
public sealed record GlobalSnapshot(
    GlobalConfig Config,
    bool Initialized,
    ImmutableArray<NetworkTagsHolding> Tags,
    ImmutableArray<string> Tenants,
    ImmutableArray<BgpConfig> Bgps,
    ImmutableArray<int> TenantIds = default,
    int HighestTenantId = 0) : Serialization.IContivPersisted;

public sealed record NetworkTagsHolding(string Owner, NetworkTags Tags);
