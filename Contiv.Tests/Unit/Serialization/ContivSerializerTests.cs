using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Contiv.Messages.Feed;
using Contiv.Messages.Serialization;
using Contiv.Tests.Unit.Support;
using Xunit;

namespace Contiv.Tests.Unit.Serialization;

/// <summary>An actor system bound like the master's (serializers of master.hocon), shared by the class.</summary>
public sealed class SerializationSystem : IDisposable
{
    public ActorSystem System { get; } = ActorSystem.Create("serialization",
        ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING").WithFallback(MasterHocon.Serialization));

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}

public sealed class ContivSerializerTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    /// <summary>A persisted type someone forgot to give a manifest.</summary>
    private sealed record UnlistedEvent(string Name) : IContivPersisted;

    private readonly Akka.Serialization.Serialization _serialization = fixture.System.Serialization;

    public static TheoryData<string> AllManifests => [.. ContivSerializer.Manifests.Values];

    [Theory]
    [MemberData(nameof(AllManifests))]
    public void Every_manifested_type_round_trips_through_the_bound_serializer(string manifest)
    {
        var type = ContivSerializer.Manifests.Single(m => m.Value == manifest).Key;
        var sample = PersistedSamples.For(type);
        Structural.AssertFullyPopulated(sample);

        var serializer = _serialization.FindSerializerFor(sample);
        var contiv = Assert.IsType<ContivSerializer>(serializer);
        Assert.Equal(ContivSerializer.SerializerId, serializer.Identifier);
        Assert.Equal(manifest, contiv.Manifest(sample));

        var bytes = serializer.ToBinary(sample);
        var back = _serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(type, back);
        Structural.AssertEqual(sample, back);
        // Writing it again gives the same bytes: nothing was lost or defaulted on the way back.
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(serializer.ToBinary(back)));
    }

    [Fact]
    public void Every_persisted_or_wire_type_of_the_messages_assembly_has_a_manifest()
    {
        var persisted = typeof(IContivPersisted).Assembly.GetTypes()
            .Where(t => (typeof(IContivPersisted).IsAssignableFrom(t) || typeof(IContivWire).IsAssignableFrom(t)) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
        Assert.NotEmpty(persisted);
        var missing = persisted.Where(t => !ContivSerializer.Manifests.ContainsKey(t)).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"persisted types without a manifest in ContivSerializer: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_manifested_type_is_bound_to_the_serializer_and_has_a_sample()
    {
        foreach (var type in ContivSerializer.Manifests.Keys)
        {
            Assert.True(typeof(IContivPersisted).IsAssignableFrom(type) || typeof(IContivWire).IsAssignableFrom(type),
                $"{type.Name} has a manifest but is neither IContivPersisted nor IContivWire, so HOCON does not bind it");
            Assert.IsType<ContivSerializer>(_serialization.FindSerializerForType(type));
            Assert.NotNull(PersistedSamples.For(type));
        }
    }

    [Fact]
    public void A_feed_removal_round_trips_with_no_view()
    {
        var delta = new Contiv.Messages.Feed.FeedDelta(Guid.NewGuid(), 3,
            [Contiv.Messages.Feed.FeedChange.Remove(new Contiv.Messages.Feed.FeedKey(Contiv.Messages.Feed.FeedKind.Endpoint, "ep2"))]);
        var serializer = _serialization.FindSerializerFor(delta);
        var back = Assert.IsType<Contiv.Messages.Feed.FeedDelta>(
            _serialization.Deserialize(serializer.ToBinary(delta), serializer.Identifier, ((SerializerWithStringManifest)serializer).Manifest(delta)));
        var change = Assert.Single(back.Changes);
        Assert.Null(change.View);
        Assert.Equal(delta.Changes[0].Key, change.Key);
    }

    [Fact]
    public void An_envelope_carries_a_message_of_another_serializer()
    {
        // A region also takes Akka's own messages (a shard's entity is told to stop, say): the envelope keeps their serializer.
        var envelope = new Contiv.Messages.Sharding.ShardEnvelope("t1", "plain text");
        var serializer = (SerializerWithStringManifest)_serialization.FindSerializerFor(envelope);
        var back = Assert.IsType<Contiv.Messages.Sharding.ShardEnvelope>(
            _serialization.Deserialize(serializer.ToBinary(envelope), serializer.Identifier, serializer.Manifest(envelope)));
        Assert.Equal("t1", back.EntityId);
        Assert.Equal("plain text", back.Message);
    }

    [Fact]
    public void A_save_of_every_object_kind_comes_back_as_its_own_record()
    {
        var serializer = (SerializerWithStringManifest)_serialization.FindSerializerFor(new Contiv.Messages.Api.SaveObject(PersistedSamples.Tenant));
        IReadOnlyList<Contiv.Messages.Model.IConfigObject> configs =
        [
            PersistedSamples.Tenant, PersistedSamples.Network, PersistedSamples.Group, PersistedSamples.Policy, PersistedSamples.Rule,
            PersistedSamples.Global, PersistedSamples.NetProfile, PersistedSamples.AppProfile, PersistedSamples.Contracts,
            PersistedSamples.ServiceLb, PersistedSamples.Bgp,
        ];
        Assert.Equal(Enum.GetValues<Contiv.Messages.Model.ObjectKind>().Length, configs.Select(c => c.Kind).Distinct().Count());
        foreach (var config in configs)
        {
            var save = new Contiv.Messages.Api.SaveObject(config);
            var back = Assert.IsType<Contiv.Messages.Api.SaveObject>(_serialization.Deserialize(serializer.ToBinary(save), serializer.Identifier, serializer.Manifest(save)));
            Assert.IsType(config.GetType(), back.Config);
            Structural.AssertEqual(config, back.Config);
        }
    }

    [Fact]
    public void Manifests_are_unique_and_versioned()
    {
        var manifests = ContivSerializer.Manifests.Values.ToList();
        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
        Assert.All(manifests, m => Assert.Matches(@"^[a-z]+\.[a-z-]+\.v\d+$", m));
    }

    [Fact]
    public void An_unknown_manifest_throws()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"Name\":\"t1\"}");
        var error = Assert.ThrowsAny<Exception>(() => _serialization.Deserialize(bytes, ContivSerializer.SerializerId, "tenant.created.v0"));
        Assert.Contains("unknown manifest tenant.created.v0", Flatten(error));

        var serializer = (ContivSerializer)_serialization.FindSerializerForType(typeof(IContivPersisted));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "nope"));
    }

    [Fact]
    public void A_persisted_type_without_a_manifest_fails_at_the_first_write()
    {
        var unlisted = new UnlistedEvent("x");
        var serializer = _serialization.FindSerializerFor(unlisted);
        Assert.IsType<ContivSerializer>(serializer);
        var error = Assert.Throws<SerializationException>(() => serializer.ToBinary(unlisted));
        Assert.Contains("has no manifest", error.Message);
    }

    private static string Flatten(Exception error) =>
        error.InnerException is null ? error.Message : error.Message + " / " + Flatten(error.InnerException);
}

/// <summary>Records holding lists (ValueArray) are equal by value; Structural still serves the records that hold ImmutableArray.</summary>
public sealed class StructuralComparisonTests
{
    [Fact]
    public void Config_objects_with_lists_are_equal_by_value()
    {
        var group = PersistedSamples.Group;
        var copy = group with { Policies = [.. group.Policies!.Value], ExtContractsGrps = [.. group.ExtContractsGrps!.Value] };
        Assert.Equal(group, copy);
        Assert.Equal(group.GetHashCode(), copy.GetHashCode());
        Assert.NotEqual(group, group with { Policies = ["p1"] });
        Assert.NotEqual(group, group with { Policies = ["p2", "p1"] });
        Assert.NotEqual(group, group with { Policies = null });
        Assert.NotEqual(group with { Policies = [] }, group with { Policies = null });

        var service = PersistedSamples.ServiceLb;
        Assert.Equal(service, service with { Ports = [.. service.Ports!.Value], Selectors = [.. service.Selectors!.Value] });
    }

    [Fact]
    public void Feed_views_holding_lists_are_equal_by_value()
    {
        var group = PersistedSamples.Group;
        FeedView view = new GroupView(group);
        FeedView copy = new GroupView(group with { Policies = [.. group.Policies!.Value] });
        Assert.True(view == copy);
        Assert.Equal(view.GetHashCode(), copy.GetHashCode());
        Assert.True(view != new GroupView(group with { Policies = ["p9"] }));
    }

    [Fact]
    public void Structural_comparison_sees_list_contents_and_nested_fields()
    {
        var group = PersistedSamples.Group;
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Structural.AssertEqual(group, group with { Policies = ["p1"] }));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Structural.AssertEqual(group, group with { Policies = null }));
        var created = new Contiv.Messages.Tenancy.NetworkCreatedEvent(PersistedSamples.Network, PersistedSamples.VxlanTags);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Structural.AssertEqual(created, created with { Tags = created.Tags with { PktTag = 4 } }));
    }

    [Fact]
    public void Populated_check_refuses_a_missing_field()
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Structural.AssertFullyPopulated(PersistedSamples.Network with { CfgdTag = null }));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Structural.AssertFullyPopulated(PersistedSamples.Rule with { Port = 0 }));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Structural.AssertFullyPopulated(PersistedSamples.ServiceLb with { Ports = [] }));
    }
}
