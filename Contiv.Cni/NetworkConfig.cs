using System.Text.Json;
using System.Text.Json.Nodes;

namespace Contiv.Cni;

/// <summary>
/// The network configuration on stdin. Ours: <c>tenant</c> (default "default"), <c>network</c>,
/// <c>group</c>, <c>agentSocket</c>; a pod's annotations (runtimeConfig
/// <c>io.kubernetes.cri.pod-annotations</c>: <c>io.contiv.tenant</c>, <c>io.contiv.network</c>,
/// <c>io.contiv.net-group</c>) override the first three. runtimeConfig keys are read without regard to
/// case (containerd capitalises them).
/// </summary>
public sealed record NetworkConfig(
    string CniVersion,
    string Name,
    string Tenant,
    string? Network,
    string? Group,
    string AgentSocket,
    JsonObject? PrevResult,
    JsonObject Raw)
{
    public const string DefaultAgentSocket = "/run/contiv/contiv-agent.sock";
    public const string AnnotationsKey = "io.kubernetes.cri.pod-annotations";

    public static NetworkConfig Parse(string text, bool versionOnly = false)
    {
        JsonObject raw;
        try
        {
            raw = JsonNode.Parse(text) as JsonObject
                  ?? throw new CniError(CniError.DecodeFailure, "the network configuration on stdin is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new CniError(CniError.DecodeFailure, $"the network configuration on stdin is not valid JSON: {ex.Message.Split('\n')[0]}");
        }
        var version = String(raw, "cniVersion") ?? throw new CniError(CniError.InvalidNetworkConfig, "cniVersion is required in the network configuration");
        if (!CniVersions.IsSupported(version))
            throw new CniError(CniError.IncompatibleVersion, $"cniVersion {version} is not supported: use one of {string.Join(", ", CniVersions.Supported)}");
        if (versionOnly) return new NetworkConfig(version, "", "", null, null, DefaultAgentSocket, null, raw);

        var name = String(raw, "name") ?? throw new CniError(CniError.InvalidNetworkConfig, "name is required in the network configuration");
        var annotations = Object(Object(raw, "runtimeConfig", ignoreCase: true), AnnotationsKey, ignoreCase: true);
        var tenant = String(annotations, "io.contiv.tenant") ?? String(raw, "tenant") ?? "default";
        var network = String(annotations, "io.contiv.network") ?? String(raw, "network");
        var group = String(annotations, "io.contiv.net-group") ?? String(raw, "group");
        var socket = String(raw, "agentSocket") ?? DefaultAgentSocket;
        if (!Path.IsPathFullyQualified(socket)) throw new CniError(CniError.InvalidNetworkConfig, $"agentSocket {socket}: must be an absolute path");
        var prev = raw["prevResult"] switch
        {
            null => null,
            JsonObject o => o,
            _ => throw new CniError(CniError.InvalidNetworkConfig, "prevResult must be an object (the previous plugin's result)"),
        };
        return new NetworkConfig(version, name, tenant, network, group, socket, prev, raw);
    }

    /// <summary>For ADD and CHECK: the Contiv network is required.</summary>
    public void RequireNetwork()
    {
        if (Network is null)
            throw new CniError(CniError.InvalidNetworkConfig,
                $"network {Name}: set \"network\" (and optionally \"group\", \"tenant\") in the configuration, or the pod annotation io.contiv.network");
    }

    /// <summary>GC: <c>cni.dev/valid-attachments</c>, the attachments the runtime still has.</summary>
    public IReadOnlySet<(string ContainerId, string IfName)> ValidAttachments()
    {
        var result = new HashSet<(string, string)>();
        if (Raw["cni.dev/valid-attachments"] is not JsonArray list) return result;
        foreach (var item in list.OfType<JsonObject>())
        {
            if (String(item, "containerID") is { } id && String(item, "ifname") is { } ifname) result.Add((id, ifname));
        }
        return result;
    }

    private static string? String(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static JsonObject? Object(JsonObject? o, string key, bool ignoreCase = false)
    {
        if (o is null) return null;
        if (!ignoreCase) return o[key] as JsonObject;
        return o.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
    }
}
