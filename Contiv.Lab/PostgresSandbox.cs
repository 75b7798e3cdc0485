using System.Globalization;

namespace Contiv.Lab;

/// <summary>
/// A private PostgreSQL for one test: Debian's server binaries, a cluster made with initdb in a
/// temporary directory owned by the postgres user, listening on a port of its own on loopback,
/// stopped with pg_ctl (by the PID in its postmaster.pid). Never the system's cluster.
/// </summary>
public sealed class PostgresSandbox : IAsyncDisposable
{
    public string Directory { get; }
    public int Port { get; }
    public string ConnectionString => ConnectionStringFor("127.0.0.1");

    /// <summary>The addresses it listens on (loopback, and a lab bridge's address when masters sit in namespaces).</summary>
    public string ListenAddresses { get; }

    private readonly string _bin;

    private PostgresSandbox(string directory, int port, string bin, string listenAddresses)
    {
        Directory = directory;
        Port = port;
        _bin = bin;
        ListenAddresses = listenAddresses;
    }

    /// <summary>How a master reaches it at <paramref name="host"/> (one of <see cref="ListenAddresses"/>).</summary>
    public string ConnectionStringFor(string host) => $"Host={host};Port={Port};Username=postgres;Database=postgres;Pooling=true;Timeout=5";

    /// <param name="listenAddresses">comma-separated, as PostgreSQL's listen_addresses</param>
    public static async Task<PostgresSandbox> StartAsync(string listenAddresses = "127.0.0.1")
    {
        var bin = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("PostgreSQL's initdb not found under /usr/lib/postgresql: the journal tests need Debian's postgresql (apt-get install postgresql); .ci/run installs it");
        var dir = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pg-" + Guid.NewGuid().ToString("N")[..10])).FullName;
        var sandbox = new PostgresSandbox(dir, LocalPorts.FreeTcpPort(), bin, listenAddresses);
        try
        {
            await LabCommands.Run("chown", "postgres:postgres", dir);
            await sandbox.AsPostgres("initdb", "-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync");
            // initdb lets in loopback only; masters in lab namespaces connect from the lab's private 10/8 addresses.
            if (listenAddresses != "127.0.0.1")
                await File.AppendAllTextAsync(Path.Combine(dir, "data", "pg_hba.conf"), "host all all 10.0.0.0/8 trust\n");
            await sandbox.AsPostgres("pg_ctl", "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "30",
                "-o", sandbox.ServerOptions(), "start");
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (fast shutdown: sessions are cut, as a crash of the database would).</summary>
    public Task StopAsync() => AsPostgres("pg_ctl", "-D", Path.Combine(Directory, "data"), "-w", "-t", "30", "-m", "fast", "stop");

    public Task StartAgainAsync() => AsPostgres("pg_ctl", "-D", Path.Combine(Directory, "data"), "-l", Path.Combine(Directory, "log"), "-w", "-t", "30",
        "-o", ServerOptions(), "start");

    // Three masters with 4 journal writers each, their snapshot stores and the tests' own checks: more than the default 100 connections is never needed.
    private string ServerOptions() =>
        $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {Directory} -c listen_addresses='{ListenAddresses}' -c fsync=on -c max_connections=200";

    private Task AsPostgres(string tool, params string[] args) => LabCommands.Run(["runuser", "-u", "postgres", "--", Path.Combine(_bin, tool), .. args]);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Directory, "data", "postmaster.pid")))
            await LabCommands.Exec(TimeSpan.FromSeconds(30), "runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(Directory, "data"), "-m", "immediate", "-w", "stop");
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
