using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Akka.Configuration;
using Contiv.Messages.Cluster;
using Akka.Persistence.Sql.Config;
using LinqToDB;

namespace Contiv.Master.Hosting;

/// <summary>
/// Per-connection SQLite settings (busy timeout, synchronous) for the journal and snapshot store:
/// they cannot be put in a Microsoft.Data.Sqlite connection string, so every connection the
/// persistence plugin opens runs them first.
/// </summary>
public static class SqliteConnections
{
    // Pooled connections share one native handle: configure each handle once, not at every open.
    private static readonly ConditionalWeakTable<object, object> Configured = new();

    public static DataOptionsSetup Setup(string connectionString, Config hocon)
    {
        var busyTimeout = hocon.GetRequiredTimeSpan("contiv.master.sqlite.busy-timeout");
        var synchronous = hocon.GetRequiredString("contiv.master.sqlite.synchronous").ToUpperInvariant();
        if (synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
            throw new OptionsException($"contiv.master.sqlite.synchronous = {synchronous}: expected FULL, NORMAL or EXTRA");
        var pragmas = $"PRAGMA busy_timeout = {((long)busyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}; PRAGMA synchronous = {synchronous};";

        var options = new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseAfterConnectionOpened(connection => Run(connection, pragmas), (connection, _) => RunAsync(connection, pragmas));
        return new DataOptionsSetup(options);
    }

    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, handle);

    private static void Run(DbConnection connection, string pragmas)
    {
        if (!FirstOpen(connection)) return;
        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
    }

    private static async Task RunAsync(DbConnection connection, string pragmas)
    {
        if (!FirstOpen(connection)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        await command.ExecuteNonQueryAsync();
    }
}
