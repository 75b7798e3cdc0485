using System.Text.Json.Nodes;
using Contiv.Tests.Durability;
using Contiv.Tests.Support;
using Xunit;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// The SQLite journal an older build left (Golden/journal/contiv.db) recovers in this build to exactly
/// the state that build answered (expected-state.json): the master process recovers its entities from
/// the journal and snapshots as in production, and every list, GET and inspect is compared.
/// </summary>
[Trait("Category", "JournalCompat")]
public sealed class GoldenJournalTests
{
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(120);

    private static string JournalDirectory => Path.Combine(GoldenFiles.Directory, "journal");

    [Fact]
    public Task A_master_of_this_build_recovers_the_old_journal_to_the_same_answers() => Run().WaitAsync(TestBound);

    private static async Task Run()
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(JournalDirectory, GoldenJournalWriter.ExpectedFile)))!.AsObject();
        var dataDir = MasterProcess.NewDataDir();
        try
        {
            // A copy: the master writes to its journal (the first start's events, new snapshots), the golden file must stay as it was.
            File.Copy(Path.Combine(JournalDirectory, GoldenJournalWriter.DbFile), Path.Combine(dataDir, GoldenJournalWriter.DbFile));
            var config = GoldenJournalWriter.SnapshotEveryConfig(dataDir);
            await using var master = await MasterProcess.StartAsync(dataDir, extraArgs: ["--config", config]);
            var actual = await RecordedState.Read(new RestClient(master.Http), JournalScenario.EndpointIds);

            AssertSameAnswers(expected, actual);
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    internal static void AssertSameAnswers(JsonObject expected, JsonObject actual)
    {
        var expectedObjects = expected["objects"]!.AsObject();
        var actualObjects = actual["objects"]!.AsObject();
        Assert.Equal(expectedObjects.Select(o => o.Key).Order(StringComparer.Ordinal), actualObjects.Select(o => o.Key).Order(StringComparer.Ordinal));
        foreach (var (id, answers) in expectedObjects)
        {
            JsonKit.AssertSame(answers!["get"], actualObjects[id]!["get"], $"GET {id}");
            JsonKit.AssertSame(answers["inspect"], actualObjects[id]!["inspect"], $"inspect {id}");
        }
        foreach (var (plural, list) in expected["lists"]!.AsObject())
            JsonKit.AssertSame(list, actual["lists"]![plural], $"list {plural}");
    }
}
