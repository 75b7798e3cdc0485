using Akka.Configuration;
using Contiv.Tests.Unit.Support;
using Microsoft.Data.Sqlite;

namespace Contiv.Tests.Entities;

/// <summary>
/// A real SQLite file in a temp directory, in WAL mode as MasterConfig.PrepareDatabase leaves it, and the
/// actor-system config of master.hocon's akka.persistence section pointed at it.
/// </summary>
public sealed class SqliteTestDatabase : IDisposable
{
    public string Directory { get; }
    public string ConnectionString { get; }
    public Config Config { get; }

    public SqliteTestDatabase(string fileName = "pool.db")
    {
        Directory = Path.Combine(Path.GetTempPath(), "contiv-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ConnectionString = $"Data Source={Path.Combine(Directory, fileName)}";
        using (var connection = new SqliteConnection(ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"SQLite refused WAL mode (got {mode})");
        }
        Config = ConfigurationFactory.ParseString("""
                akka.actor.provider = local
                akka.loglevel = INFO
                akka.test.timefactor = 1
                """)
            .WithFallback(MasterHocon.PersistenceOn(ConnectionString));
    }

    /// <summary>Journal rows of a persistence id written under a manifest by ContivSerializer, read from the file itself.</summary>
    public long JournalRows(string persistenceId, string manifest)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal WHERE persistence_id = $id AND manifest = $manifest AND identifier = $serializer";
        command.Parameters.AddWithValue("$id", persistenceId);
        command.Parameters.AddWithValue("$manifest", manifest);
        command.Parameters.AddWithValue("$serializer", Contiv.Messages.Serialization.ContivSerializer.SerializerId);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a plugin connection still open: the OS temp dir is cleaned anyway */ }
        catch (UnauthorizedAccessException) { }
    }
}
