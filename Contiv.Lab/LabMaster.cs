using System.Globalization;

namespace Contiv.Lab;

/// <summary>The lab's contiv-master: REST on loopback, its cluster address on the management bridge.</summary>
public sealed class LabMaster : IAsyncDisposable
{
    private readonly ClusterLab _lab;
    private readonly int _restPort;
    private LabProcess _process;

    public Uri RestUrl => new($"http://127.0.0.1:{_restPort}");
    public string DataDir { get; }
    public int RemotePort { get; }
    public string Seed => $"akka.ssl.tcp://contiv@{_lab.MasterAddress}:{RemotePort}";
    public LabProcess Process => _process;

    private LabMaster(ClusterLab lab, int restPort, int remotePort, string dataDir, LabProcess process)
    {
        _lab = lab;
        _restPort = restPort;
        RemotePort = remotePort;
        DataDir = dataDir;
        _process = process;
    }

    internal static async Task<LabMaster> StartAsync(ClusterLab lab)
    {
        var dataDir = Path.Combine(lab.Directory, "master");
        var rest = LocalPorts.FreeTcpPort();
        var remote = LocalPorts.FreeTcpPort();
        return new LabMaster(lab, rest, remote, dataDir, await Launch(lab, rest, remote, dataDir));
    }

    private static Task<LabProcess> Launch(ClusterLab lab, int rest, int remote, string dataDir) =>
        LabProcess.StartAsync("contiv-master",
            ["dotnet", Path.Combine(ClusterLab.BinaryDirectory, "contiv-master.dll"), "--listen", $"127.0.0.1:{rest}", "--data-dir", dataDir,
             "--remote-host", lab.MasterAddress, "--remote-port", remote.ToString(CultureInfo.InvariantCulture), .. ClusterCertificates.Flags("master")],
            "contiv-master ready", TimeSpan.FromSeconds(90));

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(15));

    public Task KillHardAsync() => _process.KillHardAsync();

    /// <summary>Starts it again on the same data directory and ports.</summary>
    public async Task RestartAsync()
    {
        await _process.DisposeAsync();
        _process = await Launch(_lab, _restPort, RemotePort, DataDir);
        // (a failed launch disposes its own process; this master is then stopped for good)
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
