namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>
    /// What is wrong with an attached endpoint's host side, or null: its veth's host end is there and up,
    /// and it is the OVS port <paramref name="ofport"/> the endpoint's flows are written for. Reads only.
    /// </summary>
    public async Task<string?> HostSideProblemAsync(string endpointId, int ofport, CancellationToken cancellationToken = default)
    {
        var hostInterface = EndpointNames.HostInterface(endpointId);
        var host = await _tools.LinkAsync(null, hostInterface, cancellationToken);
        if (host is null) return $"its veth {hostInterface} is missing from the host";
        if (!host.Up) return $"its veth {hostInterface} is down";
        var port = (await _bridges.ListPortsAsync(Bridge, cancellationToken: cancellationToken)).FirstOrDefault(p => p.Name == hostInterface);
        if (port is null) return $"{hostInterface} is not a port of bridge {Bridge}";
        if (port.OfPort != ofport) return $"{hostInterface} is OpenFlow port {port.OfPort?.ToString() ?? "none"} of {Bridge}, its flows are for port {ofport}";
        if (port.Error is { Length: > 0 } error) return $"ovs-vswitchd reports an error on {hostInterface}: {error}";
        return null;
    }
}
