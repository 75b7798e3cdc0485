using Contiv.HostAgent.Docker;
using Xunit;

namespace Contiv.Tests.JournalCompat;

/// <summary>The Docker network map an older agent wrote loads in this build to the same records.</summary>
[Trait("Category", "JournalCompat")]
public sealed class GoldenAgentFileTests
{
    [Fact]
    public void The_docker_network_map_an_older_agent_wrote_loads_to_the_same_records()
    {
        var directory = Directory.CreateTempSubdirectory("contiv-jc-agent-").FullName;
        try
        {
            // A copy: the store renames over its file when it writes, the golden file must stay as it was.
            var path = Path.Combine(directory, GoldenAgentFiles.DockerNetworksFile);
            File.Copy(Path.Combine(GoldenAgentFiles.Directory, GoldenAgentFiles.DockerNetworksFile), path);

            var store = new DockerNetworkStore(path);

            Assert.Equal(GoldenAgentFiles.DockerNetworks.Count, store.Count);
            foreach (var (id, record) in GoldenAgentFiles.DockerNetworks) Assert.Equal(record, store.Find(id));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
