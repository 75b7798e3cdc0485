using Contiv.Master.Entities.Tenants;
using Contiv.Messages.Globals;
using Contiv.Messages.Serialization;
using Contiv.Messages.Tenancy;
using Contiv.Tests.Unit.Serialization;
using Contiv.Tests.Unit.Support;
using Xunit;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// Records from before a property existed, hand-written in Golden/compat/ in the shape older builds
/// wrote them: they must read with the default the code gives that absence a meaning for.
/// </summary>
[Trait("Category", "JournalCompat")]
public sealed class CompatDefaultTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    [Fact]
    public void A_tenant_created_before_tenants_had_ids_reads_with_id_zero()
    {
        // Id 0 means "not numbered yet": TenantReconcileSaga asks global for the tenant's number and persists it.
        var created = Read<TenantCreatedEvent>("tenant.created.v1.without-id.json", "tenant.created.v1");
        Assert.Equal(0, created.Id);
        Structural.AssertEqual(PersistedSamples.Tenant, created.Config);
    }

    [Fact]
    public void A_tenant_snapshot_from_before_endpoints_restores_with_no_endpoints()
    {
        var snapshot = Read<TenantSnapshot>("tenant.snapshot.v1.without-endpoints.json", "tenant.snapshot.v1");
        Assert.True(snapshot.Endpoints.IsDefault, "an absent Endpoints must read as a default array, which Restore takes for none");
        var sample = (TenantSnapshot)PersistedSamples.For(typeof(TenantSnapshot));
        Structural.AssertEqual(sample with { Endpoints = default }, snapshot);

        var state = TenantSnapshots.Restore("t1", snapshot);
        Assert.Empty(state.Endpoints);
        Assert.Equal(sample.Id, state.Id);
        Assert.Equal(sample.Networks.Select(n => n.Config.NetworkName), state.Networks.Keys);
    }

    [Fact]
    public void A_global_snapshot_from_before_tenant_ids_reads_without_them()
    {
        // GlobalEntity.Restore numbers the tenants of such a snapshot in name order when TenantIds is default.
        var snapshot = Read<GlobalSnapshot>("global.snapshot.v1.without-tenant-ids.json", "global.snapshot.v1");
        Assert.True(snapshot.TenantIds.IsDefault, "an absent TenantIds must read as a default array: Restore then numbers the tenants");
        Assert.Equal(0, snapshot.HighestTenantId);
        var sample = (GlobalSnapshot)PersistedSamples.For(typeof(GlobalSnapshot));
        Structural.AssertEqual(sample with { TenantIds = default, HighestTenantId = 0 }, snapshot);
    }

    private T Read<T>(string file, string manifest)
    {
        var serializer = (ContivSerializer)fixture.System.Serialization.FindSerializerForType(typeof(T));
        return Assert.IsType<T>(serializer.FromBinary(File.ReadAllBytes(GoldenFiles.Compat(file)), manifest));
    }
}
