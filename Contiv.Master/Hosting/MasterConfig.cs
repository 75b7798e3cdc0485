using System.Globalization;
using System.Net;
using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace Contiv.Master.Hosting;

/// <summary>master.hocon (embedded), an optional file on top, and the command-line flags on top of that.</summary>
public sealed record MasterConfig(Config Hocon, IPEndPoint Listen, string DataDir, string FwdMode, string ConnectionString, string Journal = "sqlite")
{
    /// <summary>master.hocon with the settings every cluster node shares (cluster.hocon) under it.</summary>
    public static Config Embedded()
    {
        using var stream = typeof(MasterConfig).Assembly.GetManifestResourceStream("master.hocon")
                           ?? throw new InvalidOperationException("master.hocon is not embedded in contiv-master");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd()).WithFallback(Contiv.Messages.Cluster.ClusterHocon.Shared);
    }

    public static MasterConfig Load(MasterOptions options)
    {
        var config = Embedded();
        if (options.ConfigFile is not null) config = ConfigurationFactory.ParseString(File.ReadAllText(options.ConfigFile)).WithFallback(config);

        var listenText = config.GetString("contiv.master.listen");
        var listen = options.Listen ?? (IPEndPoint.TryParse(listenText, out var parsed) ? parsed
            : throw new OptionsException($"contiv.master.listen = {listenText}: expected ip:port"));
        var dataDir = Path.GetFullPath(options.DataDir ?? config.GetString("contiv.master.data-dir"));
        var fwdMode = options.FwdMode ?? config.GetString("contiv.master.fwd-mode");
        var journal = options.Journal ?? config.GetString("contiv.master.journal", "sqlite");
        string connectionString;
        string provider;
        if (journal == "postgres")
        {
            connectionString = options.ConnectionString ?? config.GetString("contiv.master.postgres.connection-string", "");
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new OptionsException("--journal postgres needs --connection-string (or contiv.master.postgres.connection-string), e.g. \"Host=127.0.0.1;Port=5432;Username=contiv;Password=...;Database=contiv\"");
            provider = "PostgreSQL.15";
        }
        else
        {
            connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "contiv.db"), Pooling = true }.ToString();
            provider = "SQLite.MS";
        }

        IReadOnlyList<string> seeds = options.Seeds.Count > 0 ? options.Seeds : [.. config.GetStringList("akka.cluster.seed-nodes")];
        if (seeds.Count > 0 && journal != "postgres")
            throw new OptionsException("--seed joins other masters, and several masters need one shared journal: add --journal postgres --connection-string ... (SQLite is private to one master)");

        var overrides = $$"""
            akka.cluster.seed-nodes = [{{string.Join(", ", seeds.Select(s => $"\"{Escape(s)}\""))}}]
            akka.remote.dot-netty.tcp.hostname = "{{options.RemoteHost ?? config.GetString("akka.remote.dot-netty.tcp.hostname")}}"
            akka.remote.dot-netty.tcp.port = {{(options.RemotePort ?? config.GetInt("akka.remote.dot-netty.tcp.port")).ToString(CultureInfo.InvariantCulture)}}
            akka.persistence.journal.sql.connection-string = "{{Escape(connectionString)}}"
            akka.persistence.snapshot-store.sql.connection-string = "{{Escape(connectionString)}}"
            akka.persistence.journal.sql.provider-name = "{{provider}}"
            akka.persistence.snapshot-store.sql.provider-name = "{{provider}}"
            {{(journal == "postgres" ? "akka.persistence.journal.sql.parallelism = " + config.GetInt("contiv.master.postgres.parallelism", 4).ToString(CultureInfo.InvariantCulture) : "")}}
            """;
        config = ConfigurationFactory.ParseString(overrides).WithFallback(config);
        return new MasterConfig(config, listen, dataDir, fwdMode, connectionString, journal);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

    public long MaxRequestBody => Hocon.GetByteSize("contiv.master.max-request-body") ?? 1024 * 1024;
    public TimeSpan RequestTimeout => Hocon.GetTimeSpan("contiv.master.request-timeout", TimeSpan.FromSeconds(15));
    public int MaxShards => Hocon.GetInt("contiv.cluster.max-shards", 50);

    public bool OnPostgres => Journal == "postgres";

    /// <summary>The connection string without its password, for messages.</summary>
    public string SafeConnectionString => OnPostgres
        ? new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ToString()
        : ConnectionString;

    /// <summary>
    /// PostgreSQL: checks that it answers, so a wrong address or password stops the master at once
    /// with a message that says so (the journal plugin would only log and retry).
    /// </summary>
    public async Task CheckPostgresAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancel.Token);
        await using var command = new Npgsql.NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancel.Token);
    }

    /// <summary>
    /// Creates the data directory, locks it for this process (two masters on one journal would both
    /// write the same entities), and puts the SQLite file in WAL mode (a property of the file).
    /// The returned lock is held for the life of the process.
    /// </summary>
    public FileStream PrepareDatabase()
    {
        Directory.CreateDirectory(DataDir);
        var lockPath = Path.Combine(DataDir, "master.lock");
        FileStream dataLock;
        try
        {
            dataLock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new OptionsException($"data directory {DataDir} is in use by another contiv-master (its pid is in {lockPath}); give each master its own --data-dir");
        }
        dataLock.SetLength(0);
        using (var writer = new StreamWriter(dataLock, leaveOpen: true)) writer.Write(Environment.ProcessId);
        dataLock.Flush();

        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
        return dataLock;
    }
}
