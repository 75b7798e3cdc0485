using System.Text.Json;

namespace Contiv.HostAgent.Docker;

/// <summary>A Docker network created through this agent and the Contiv network (and group) it is.</summary>
public sealed record DockerNetworkRecord(string Tenant, string Network, string? Group);

/// <summary>
/// Docker network id → Contiv network, kept in a file: dockerd sends CreateNetwork once, not again
/// after an agent restart, while CreateEndpoint keeps coming. Written whole to a temporary file and
/// renamed over the old one, so a crash leaves the old or the new map, never half of one.
/// </summary>
public sealed class DockerNetworkStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _path;
    private readonly object _gate = new();
    private Dictionary<string, DockerNetworkRecord> _networks;

    public DockerNetworkStore(string path)
    {
        _path = path;
        _networks = Load(path);
    }

    public DockerNetworkRecord? Find(string networkId)
    {
        lock (_gate) return _networks.GetValueOrDefault(networkId);
    }

    public int Count
    {
        get { lock (_gate) return _networks.Count; }
    }

    public void Put(string networkId, DockerNetworkRecord record)
    {
        lock (_gate)
        {
            if (_networks.GetValueOrDefault(networkId) == record) return;
            var next = new Dictionary<string, DockerNetworkRecord>(_networks) { [networkId] = record };
            Save(next);
            _networks = next;
        }
    }

    public void Remove(string networkId)
    {
        lock (_gate)
        {
            if (!_networks.ContainsKey(networkId)) return;
            var next = new Dictionary<string, DockerNetworkRecord>(_networks);
            next.Remove(networkId);
            Save(next);
            _networks = next;
        }
    }

    private void Save(Dictionary<string, DockerNetworkRecord> networks)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(networks, Json));
        File.Move(temporary, _path, overwrite: true);
    }

    private static Dictionary<string, DockerNetworkRecord> Load(string path)
    {
        if (!File.Exists(path)) return new Dictionary<string, DockerNetworkRecord>(StringComparer.Ordinal);
        try
        {
            return new Dictionary<string, DockerNetworkRecord>(
                JsonSerializer.Deserialize<Dictionary<string, DockerNetworkRecord>>(File.ReadAllText(path), Json) ?? [], StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a Docker network map the agent wrote ({ex.Message}); move it aside to start empty", ex);
        }
    }
}
