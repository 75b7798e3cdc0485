using Contiv.Messages.Serialization;
using Contiv.Tests.Unit.Serialization;
using Contiv.Tests.Unit.Support;
using Xunit;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// The bytes an older build persisted still read back to the same records. Each golden file was
/// written once by <see cref="GoldenPayloadWriter"/> and is never regenerated: a renamed or removed
/// property, or a changed type, makes the stored field come back missing and the comparison fail.
/// </summary>
[Trait("Category", "JournalCompat")]
public sealed class GoldenPayloadTests(SerializationSystem fixture) : IClassFixture<SerializationSystem>
{
    public static TheoryData<string> PersistedManifests => [.. GoldenFiles.PersistedManifests.Select(m => m.Value)];

    [Fact]
    public void Every_persisted_manifest_has_a_golden_file()
    {
        Assert.NotEmpty(GoldenFiles.PersistedManifests);
        var missing = GoldenFiles.PersistedManifests.Select(m => m.Value)
            .Where(m => !File.Exists(GoldenFiles.PayloadPath(GoldenFiles.Directory, m))).ToList();
        Assert.True(missing.Count == 0,
            $"persisted manifests without a golden file (write them with golden-payloads, see JournalCompat/README.md): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_golden_file_names_a_manifest_still_read()
    {
        // A golden file whose manifest is gone means a persisted type was removed: old journals hold it.
        var known = GoldenFiles.PersistedManifests.Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var orphans = Directory.GetFiles(GoldenFiles.Directory, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)).Where(m => !known.Contains(m)).ToList();
        Assert.True(orphans.Count == 0, $"golden files of manifests no longer read: {string.Join(", ", orphans)}");
    }

    [Theory]
    [MemberData(nameof(PersistedManifests))]
    public void A_golden_payload_reads_back_to_its_sample(string manifest)
    {
        var type = GoldenFiles.PersistedManifests.Single(m => m.Value == manifest).Key;
        var bytes = File.ReadAllBytes(GoldenFiles.PayloadPath(GoldenFiles.Directory, manifest));
        var serializer = (ContivSerializer)fixture.System.Serialization.FindSerializerForType(type);

        var back = serializer.FromBinary(bytes, manifest);

        Assert.IsType(type, back);
        Structural.AssertEqual(PersistedSamples.For(type), back);
    }
}
