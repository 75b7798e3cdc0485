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
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    private readonly string _bin;

    private PostgresSandbox(string directory, int port, string bin)
    {
        Directory = directory;
        Port = port;
        _bin = bin;
    }

    public static async Task<PostgresSandbox> StartAsync()
    {
        var bin = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("PostgreSQL's initdb not found under /usr/lib/postgresql: the journal tests need Debian's postgresql (apt-get install postgresql); .ci/run installs it");
        var dir = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pg-" + Guid.NewGuid().ToString("N")[..10])).FullName;
        var sandbox = new PostgresSandbox(dir, LocalPorts.FreeTcpPort(), bin);
        try
        {
            await LabCommands.Run("chown", "postgres:postgres", dir);
            await sandbox.AsPostgres("initdb", "-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync");
            await sandbox.AsPostgres("pg_ctl", "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "30",
                "-o", $"-p {sandbox.Port.ToString(CultureInfo.InvariantCulture)} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=on", "start");
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
        "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {Directory} -c listen_addresses=127.0.0.1", "start");

    private Task AsPostgres(string tool, params string[] args) => LabCommands.Run(["runuser", "-u", "postgres", "--", Path.Combine(_bin, tool), .. args]);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Directory, "data", "postmaster.pid")))
            await LabCommands.Exec(TimeSpan.FromSeconds(30), "runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(Directory, "data"), "-m", "immediate", "-w", "stop");
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
