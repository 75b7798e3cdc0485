using Contiv.Messages.Cluster;
using Microsoft.Extensions.Hosting;

namespace Contiv.Master.Hosting;

/// <summary>
/// Whether the shared journal (PostgreSQL) answers, as the probe last saw it. While it does not, the gateway
/// refuses writes at once with 503 and the reason, instead of letting each one wait for its entity's failed
/// write and the request timeout. Reads keep answering from entities in memory (an entity whose write failed
/// has stopped, and answers again once the journal is back and it has recovered).
/// </summary>
public sealed class JournalHealth
{
    private volatile string? _unavailable;

    /// <summary>Why the journal is unavailable, or null while it answers.</summary>
    public string? Unavailable => _unavailable;

    /// <summary>Returns true when the state changed.</summary>
    internal bool Set(string? unavailable)
    {
        var before = _unavailable;
        _unavailable = unavailable;
        return (before is null) != (unavailable is null);
    }
}

/// <summary>Asks PostgreSQL <c>SELECT 1</c> every <c>contiv.master.postgres.probe-interval</c>; a one-node SQLite master has nothing to probe.</summary>
public sealed class JournalProbe(MasterConfig config, JournalHealth health) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!config.OnPostgres) return;
        var interval = config.Hocon.GetRequiredTimeSpan("contiv.master.postgres.probe-interval");
        var timeout = config.Hocon.GetRequiredTimeSpan("contiv.master.postgres.probe-timeout");
        while (!stopping.IsCancellationRequested)
        {
            string? unavailable = null;
            try
            {
                await config.CheckPostgresAsync(timeout);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException or TimeoutException)
            {
                if (stopping.IsCancellationRequested) return;
                unavailable = $"PostgreSQL at {config.SafeConnectionString} does not answer: {ex.GetBaseException().Message}";
            }
            if (health.Set(unavailable))
            {
                // Pooled connections to a database that went away are dead; the journal would get each of
                // them once (a failed write or recovery) before Npgsql drops it.
                Npgsql.NpgsqlConnection.ClearAllPools();
                Console.Error.WriteLine(unavailable is null
                    ? "contiv-master: the PostgreSQL journal answers again; writes are accepted"
                    : $"contiv-master: {unavailable}; writes are refused (503) until it answers");
            }
            try { await Task.Delay(interval, stopping); }
            catch (OperationCanceledException) { return; }
        }
    }
}
