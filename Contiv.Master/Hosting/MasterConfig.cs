using System.Globalization;
using System.Net;
using Akka.Configuration;
using Contiv.Messages.Cluster;
using Microsoft.Data.Sqlite;

namespace Contiv.Master.Hosting;

/// <summary>
/// master.hocon (embedded), an optional file on top, and the command-line flags on top of that. The node's own
/// address, seeds and role are typed (<see cref="Remote"/>, <see cref="Seeds"/>) and reach Akka through
/// Akka.Hosting's options, not through <see cref="Hocon"/>.
/// </summary>
public sealed record MasterConfig(Config Hocon, IPEndPoint Listen, string DataDir, string FwdMode, string ConnectionString, string Journal)
{
    /// <summary>Where other masters and agents reach this one.</summary>
    public required NodeAddress Remote { get; init; }

    /// <summary>The TLS listener, where every request needs a login token; none when null.</summary>
    public IPEndPoint? SecureListen { get; init; }

    /// <summary>PEM files of the secure listener's certificate; null: self-signed, in <see cref="TlsDirectory"/>.</summary>
    public (string Certificate, string Key)? TlsFiles { get; init; }

    public string TlsDirectory => Path.Combine(DataDir, "tls");

    /// <summary>The first admin's password, when given; else one is made up and printed once.</summary>
    public string? AdminPassword { get; init; }

    /// <summary>The masters' cluster addresses (--seed, else akka.cluster.seed-nodes); none: a one-node cluster of its own.</summary>
    public required IReadOnlyList<string> Seeds { get; init; }

    /// <summary>This master's cluster certificate and the cluster CA: Akka.Remote runs over mutual TLS only (<see cref="MasterClusterTls"/>).</summary>
    public required ClusterTls ClusterTls { get; init; }

    /// <summary>What the operator must hear about the cluster certificates (made for a one-node master), or null.</summary>
    public string? ClusterTlsNotice { get; init; }

    /// <summary>Cluster certificates that expire within <c>contiv.cluster.tls.expiry-warning</c>.</summary>
    public IReadOnlyList<string> ClusterTlsWarnings { get; init; } = [];

    /// <summary>master.hocon with the settings every cluster node shares (cluster.hocon) under it.</summary>
    public static Config Embedded() =>
        EmbeddedHocon.Load(typeof(MasterConfig).Assembly, "master.hocon").WithFallback(ClusterHocon.Shared);

    public static MasterConfig Load(MasterOptions options)
    {
        var config = Embedded();
        if (options.ConfigFile is not null) config = ConfigurationFactory.ParseString(File.ReadAllText(options.ConfigFile)).WithFallback(config);

        var listenText = config.GetRequiredString("contiv.master.listen");
        var listen = options.Listen ?? (IPEndPoint.TryParse(listenText, out var parsed) ? parsed
            : throw new OptionsException($"contiv.master.listen = {listenText}: expected ip:port"));
        if (!IPAddress.IsLoopback(listen.Address))
            throw new OptionsException($"--listen {listen} is not a loopback address: plain HTTP without login is served only on 127.0.0.1 or ::1. " +
                $"Keep --listen on loopback and serve other addresses over TLS with login: --secure-listen {listen} (a certificate is made if you give no --tls-cert/--tls-key)");
        var secureText = config.GetRequiredString("contiv.master.secure-listen");
        var secureListen = options.SecureListen ?? (secureText.Length == 0 ? null : IPEndPoint.TryParse(secureText, out var secureParsed) ? secureParsed
            : throw new OptionsException($"contiv.master.secure-listen = {secureText}: expected ip:port"));
        var tlsCertificate = options.TlsCertificate ?? NonEmpty(config.GetRequiredString("contiv.master.tls.certificate"));
        var tlsKey = options.TlsKey ?? NonEmpty(config.GetRequiredString("contiv.master.tls.key"));
        if ((tlsCertificate is null) != (tlsKey is null))
            throw new OptionsException("--tls-cert and --tls-key go together: give both PEM files, or neither for a self-signed certificate");
        if (secureListen is not null && secureListen.Port == listen.Port && (secureListen.Address.Equals(listen.Address) || secureListen.Address.Equals(IPAddress.Any)))
            throw new OptionsException($"--secure-listen {secureListen} and --listen {listen} need different ports");
        var dataDir = Path.GetFullPath(options.DataDir ?? config.GetRequiredString("contiv.master.data-dir"));
        var fwdMode = options.FwdMode ?? config.GetRequiredString("contiv.master.fwd-mode");
        var journal = options.Journal ?? config.GetRequiredString("contiv.master.journal");
        string connectionString;
        string provider;
        if (journal == "postgres")
        {
            connectionString = options.ConnectionString ?? config.GetRequiredString("contiv.master.postgres.connection-string");
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

        var (clusterTls, clusterTlsNotice, clusterTlsWarnings) = MasterClusterTls.Resolve(config, options, seeds, dataDir);

        // The journal stays HOCON: Akka.Persistence.Sql.Hosting's typed options would replace the plugin
        // settings master.hocon tunes (parallelism, circuit breakers, isolation level), not only these.
        // Hence Escape, for a connection string that may hold quotes or backslashes.
        var journalOverrides = $$"""
            akka.persistence.journal.sql.connection-string = "{{Escape(connectionString)}}"
            akka.persistence.snapshot-store.sql.connection-string = "{{Escape(connectionString)}}"
            akka.persistence.journal.sql.provider-name = "{{provider}}"
            akka.persistence.snapshot-store.sql.provider-name = "{{provider}}"
            {{(journal == "postgres" ? "akka.persistence.journal.sql.parallelism = " + config.GetRequiredInt("contiv.master.postgres.parallelism").ToString(CultureInfo.InvariantCulture) : "")}}
            """;
        config = ConfigurationFactory.ParseString(journalOverrides).WithFallback(config);
        return new MasterConfig(config, listen, dataDir, fwdMode, connectionString, journal)
        {
            Remote = NodeAddress.From(config, options.RemoteHost, options.RemotePort),
            Seeds = seeds,
            SecureListen = secureListen,
            TlsFiles = tlsCertificate is null ? null : (tlsCertificate, tlsKey!),
            AdminPassword = options.AdminPassword,
            ClusterTls = clusterTls,
            ClusterTlsNotice = clusterTlsNotice,
            ClusterTlsWarnings = clusterTlsWarnings,
        };
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

    public long MaxRequestBody => Hocon.GetRequiredByteSize("contiv.master.max-request-body");
    public TimeSpan RequestTimeout => Hocon.GetRequiredTimeSpan("contiv.master.request-timeout");
    public TimeSpan ShutdownTimeout => Hocon.GetRequiredTimeSpan("contiv.master.shutdown-timeout");
    public int MaxShards => ClusterHocon.MaxShards(Hocon);
    public int EndpointShards => ClusterHocon.EndpointShards(Hocon);

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
