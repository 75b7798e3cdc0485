using System.Text.Json;
using Contiv.Tests.Support;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// Writes Golden/journal/: contiv.db, the SQLite journal and snapshot store a master of this build left
/// after <see cref="JournalScenario"/> and a clean stop, and expected-state.json, what that master answered.
/// Written once (see README.md); a later build must answer the same from the same file.
/// </summary>
public static class GoldenJournalWriter
{
    public const string DbFile = "contiv.db";
    public const string ExpectedFile = "expected-state.json";

    /// <summary>Small on purpose: the journal then holds snapshots and events after the newest one.</summary>
    public static string SnapshotEveryConfig(string directory)
    {
        var path = Path.Combine(directory, "journal-compat.hocon");
        File.WriteAllText(path, "contiv.master.snapshot-every = 5\n");
        return path;
    }

    public static async Task Write(string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        if (File.Exists(Path.Combine(outDirectory, DbFile))) throw new InvalidOperationException($"{outDirectory} already holds a golden journal: it is frozen");
        var dataDir = MasterProcess.NewDataDir();
        try
        {
            var config = SnapshotEveryConfig(dataDir);
            var remotePort = Contiv.Lab.LocalPorts.FreeTcpPort();
            await using var master = await MasterProcess.StartAsync(dataDir,
                extraArgs: ["--config", config, "--remote-host", "127.0.0.1", "--remote-port", remotePort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var rest = new RestClient(master.Http);
            await JournalScenario.Run(rest);
            await using (var agent = await Contiv.Tests.ClusterTests.EndpointClientNode.JoinAsync([$"akka.tcp://contiv@127.0.0.1:{remotePort}"]))
                await JournalScenario.RunEndpoints(agent);
            var state = await RecordedState.Read(rest, JournalScenario.EndpointIds);
            await master.StopAsync();
            if (!master.HasExited || master.ExitCode != 0) throw new InvalidOperationException($"the master did not stop cleanly:\n{master.Output}");
            // A clean stop checkpoints the WAL into the main file; a leftover would mean the copy misses writes.
            var wal = Path.Combine(dataDir, DbFile + "-wal");
            if (File.Exists(wal) && new FileInfo(wal).Length > 0) throw new InvalidOperationException($"{wal} is not empty after the stop");

            File.Copy(Path.Combine(dataDir, DbFile), Path.Combine(outDirectory, DbFile), overwrite: true);
            File.WriteAllText(Path.Combine(outDirectory, ExpectedFile), state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"wrote {outDirectory}/{DbFile} and {ExpectedFile}");
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
