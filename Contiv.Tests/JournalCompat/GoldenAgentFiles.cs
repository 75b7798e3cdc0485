using Contiv.HostAgent.Docker;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// Golden/agent/docker-networks.json: the Docker network map an agent of this build wrote through
/// <see cref="DockerNetworkStore"/> (dockerd sends CreateNetwork only once, so losing it loses the networks).
/// </summary>
public static class GoldenAgentFiles
{
    public const string DockerNetworksFile = "docker-networks.json";

    /// <summary>A network with a group, one without (the store keeps Group null), and ids shaped like dockerd's.</summary>
    public static readonly IReadOnlyDictionary<string, DockerNetworkRecord> DockerNetworks = new Dictionary<string, DockerNetworkRecord>
    {
        ["5f1e0c8a2b3d4e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"] = new("default", "net1", "web"),
        ["a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1"] = new("t1", "vx1", null),
    };

    public static string Directory => Path.Combine(GoldenFiles.Directory, "agent");

    public static void Write(string outDirectory)
    {
        if (File.Exists(Path.Combine(outDirectory, DockerNetworksFile))) throw new InvalidOperationException($"{outDirectory}/{DockerNetworksFile} exists: it is frozen");
        var store = new DockerNetworkStore(Path.Combine(outDirectory, DockerNetworksFile));
        foreach (var (id, record) in DockerNetworks) store.Put(id, record);
        Console.WriteLine($"wrote {outDirectory}/{DockerNetworksFile}");
    }
}
