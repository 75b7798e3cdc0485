using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Contiv.Cni;

/// <summary>The CNI operations over the agent. Each returns the JSON to print (null: nothing) or throws a <see cref="CniError"/>.</summary>
public sealed class Commands(NetworkConfig config, CniInvocation invocation, AgentClient agent)
{
    public async Task<JsonObject?> RunAsync() => invocation.Command switch
    {
        "ADD" => await AddAsync(),
        "DEL" => await DelAsync(),
        "CHECK" => await CheckAsync(),
        "STATUS" => await StatusAsync(),
        "GC" => await GcAsync(),
        _ => CniResult.Version(config.CniVersion),
    };

    private async Task<JsonObject> AddAsync()
    {
        config.RequireNetwork();
        var args = invocation.Args;
        var pod = args.TryGetValue("K8S_POD_NAME", out var name) ? (args.GetValueOrDefault("K8S_POD_NAMESPACE", "default") + "/" + name) : null;
        var labels = new List<string> { $"io.contiv.cni={config.Name}" };
        if (args.TryGetValue("K8S_POD_NAMESPACE", out var ns)) labels.Add($"k8s.namespace={ns}");
        if (name is not null) labels.Add($"k8s.pod={name}");
        if (args.TryGetValue("K8S_POD_UID", out var uid)) labels.Add($"k8s.uid={uid}");
        var body = new JsonObject
        {
            ["tenant"] = config.Tenant,
            ["network"] = config.Network,
            ["group"] = config.Group,
            ["containerId"] = invocation.ContainerId,
            ["netns"] = invocation.Netns,
            ["endpointId"] = invocation.EndpointId,
            ["interface"] = invocation.IfName,
            ["containerName"] = pod,
            ["labels"] = string.Join(',', labels),
        };
        var (status, answer) = await agent.PostAsync("/v1/endpoints", body);
        if (status != 200) throw AgentClient.Refusal(status, answer, $"attaching {invocation.IfName} of {invocation.ContainerId} to {config.Tenant}/{config.Network}");
        return CniResult.Build(config, invocation, answer);
    }

    /// <summary>Idempotent and best effort: an attachment the agent does not know is deleted already.</summary>
    private async Task<JsonObject?> DelAsync()
    {
        var (status, answer) = await agent.DeleteAsync($"/v1/endpoints/{invocation.EndpointId}");
        if (status is 200 or 404) return null;
        throw AgentClient.Refusal(status, answer, $"deleting {invocation.IfName} of {invocation.ContainerId}");
    }

    /// <summary>The attachment as the previous result says: known to the agent, the interface in the namespace with its
    /// address and MAC, up; on the host its veth, OVS port and flows (the agent reads the switch).</summary>
    private async Task<JsonObject?> CheckAsync()
    {
        config.RequireNetwork();
        var prev = config.PrevResult ?? throw new CniError(CniError.InvalidNetworkConfig, "CHECK needs prevResult: the result ADD returned");
        var (status, endpoint) = await agent.GetAsync($"/v1/endpoints/{invocation.EndpointId}");
        if (status == 404) throw new CniError(CniError.UnknownContainer, $"the contiv agent has no attachment {invocation.IfName} of {invocation.ContainerId}");
        if (status != 200) throw AgentClient.Refusal(status, endpoint, $"checking {invocation.IfName} of {invocation.ContainerId}");
        var address = $"{endpoint["ip"]?.GetValue<string>()}/{endpoint["prefixLength"]?.GetValue<int>()}";
        var mac = endpoint["mac"]?.GetValue<string>() ?? "";
        if (!(prev["ips"] as JsonArray ?? []).OfType<JsonObject>().Any(ip => ip["address"]?.GetValue<string>() == address))
            throw new CniError(CniError.InvalidNetworkConfig, $"prevResult does not list {address}, the address contiv gave {invocation.ContainerId}");
        var link = await LinkInNamespaceAsync(invocation.Netns!, invocation.IfName!);
        if (link is null) throw new CniError(CniError.IoFailure, $"{invocation.IfName} is missing from {invocation.Netns}");
        var (linkMac, up, addresses) = link.Value;
        if (!string.Equals(linkMac, mac, StringComparison.OrdinalIgnoreCase))
            throw new CniError(CniError.IoFailure, $"{invocation.IfName} in {invocation.Netns} has MAC {linkMac}, contiv gave {mac}");
        if (!addresses.Contains(address)) throw new CniError(CniError.IoFailure, $"{invocation.IfName} in {invocation.Netns} lacks {address} (has {string.Join(", ", addresses)})");
        if (!up) throw new CniError(CniError.IoFailure, $"{invocation.IfName} in {invocation.Netns} is down");

        // The host side, by the agent: the veth's host end, its OVS port, and its flows read back from the switch.
        var (checkStatus, check) = await agent.GetAsync($"/v1/endpoints/{invocation.EndpointId}/check");
        if (checkStatus == 409)
            throw new CniError(CniError.IoFailure, $"{invocation.IfName} of {invocation.ContainerId} is not as contiv made it: {check["error"]?.GetValue<string>()}");
        if (checkStatus != 200) throw AgentClient.Refusal(checkStatus, check, $"checking {invocation.IfName} of {invocation.ContainerId} on the host");
        return null;
    }

    private async Task<JsonObject?> StatusAsync()
    {
        try
        {
            var (status, answer) = await agent.GetAsync("/v1/status");
            if (status == 200) return null;
            throw new CniError(CniError.PluginNotAvailable, $"the contiv agent at {agent.Socket} is not ready: {answer["error"]?.GetValue<string>() ?? $"HTTP {status}"}");
        }
        catch (CniError error) when (error.Code == CniError.TryAgainLater)
        {
            throw new CniError(CniError.PluginNotAvailable, error.Message);
        }
    }

    /// <summary>Removes this network's attachments on this host that the runtime no longer lists.</summary>
    private async Task<JsonObject?> GcAsync()
    {
        var valid = config.ValidAttachments().Select(a => $"{a.ContainerId}.{a.IfName}").ToHashSet(StringComparer.Ordinal);
        var (status, answer) = await agent.GetAsync($"/v1/endpoints?label={Uri.EscapeDataString($"io.contiv.cni={config.Name}")}");
        if (status != 200) throw AgentClient.Refusal(status, answer, "listing this host's attachments");
        var failures = new List<string>();
        foreach (var endpoint in (answer["endpoints"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var id = endpoint["endpointId"]?.GetValue<string>();
            if (id is null || valid.Contains(id)) continue;
            var (deleted, refusal) = await agent.DeleteAsync($"/v1/endpoints/{id}");
            if (deleted is not (200 or 404)) failures.Add($"{id}: {refusal["error"]?.GetValue<string>() ?? $"HTTP {deleted}"}");
        }
        if (failures.Count > 0) throw new CniError(CniError.TryAgainLater, $"GC could not remove {failures.Count} attachments", string.Join("; ", failures));
        return null;
    }

    /// <summary><c>ip -j addr show dev IFNAME</c> inside the namespace: MAC, up, IPv4 addresses (address/prefix).</summary>
    private static async Task<(string Mac, bool Up, List<string> Addresses)?> LinkInNamespaceAsync(string netns, string ifname)
    {
        var psi = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--net=" + netns, "ip", "-j", "addr", "show", "dev", ifname }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new CniError(CniError.IoFailure, "cannot run nsenter");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) return null;
        if (JsonNode.Parse(output) is not JsonArray { Count: > 0 } links || links[0] is not JsonObject link) return null;
        var flags = (link["flags"] as JsonArray ?? []).Select(f => f?.GetValue<string>()).ToList();
        var addresses = (link["addr_info"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => a["family"]?.GetValue<string>() == "inet")
            .Select(a => $"{a["local"]?.GetValue<string>()}/{a["prefixlen"]?.GetValue<int>()}").ToList();
        return (link["address"]?.GetValue<string>() ?? "", flags.Contains("UP"), addresses);
    }
}
