using System.Globalization;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.Ovsdb;

namespace Contiv.HostAgent.Host;

/// <summary>
/// One VXLAN port per remote host (fixed remote_ip, key=flow: the flows set the VNI), named after the
/// remote VTEP so a restarted agent finds its ports again. Ports towards hosts that are gone are removed.
/// </summary>
public sealed class TunnelPorts(OvsBridgeManager bridges, string bridge)
{
    private const string Prefix = "vx";
    private const string VtepKey = "contiv-vtep";

    public static string PortName(Ipv4 vtep) => Prefix + vtep.Value.ToString("x8", CultureInfo.InvariantCulture);

    /// <returns>remote VTEP → ofport of its tunnel port (ports vswitchd could not open are left out)</returns>
    public async Task<IReadOnlyDictionary<Ipv4, uint>> SyncAsync(IReadOnlySet<Ipv4> remoteVteps, CancellationToken cancellationToken)
    {
        foreach (var vtep in remoteVteps)
        {
            await bridges.EnsurePortAsync(bridge, OvsPortSpec.Vxlan(PortName(vtep), remoteIp: vtep.ToString(), key: "flow",
                externalIds: new Dictionary<string, string> { [VtepKey] = vtep.ToString() }), cancellationToken);
        }
        var ports = new Dictionary<Ipv4, uint>();
        foreach (var port in await bridges.ListPortsAsync(bridge, cancellationToken: cancellationToken))
        {
            if (!port.ExternalIds.TryGetValue(VtepKey, out var text)) continue;
            var vtep = Ipv4.Parse(text);
            if (!remoteVteps.Contains(vtep))
            {
                await bridges.RemovePortAsync(bridge, port.Name, cancellationToken);
                continue;
            }
            if (port.OfPort is > 0 and var ofport) ports[vtep] = (uint)ofport;
        }
        // vswitchd numbers a new port a moment after the database has it.
        foreach (var vtep in remoteVteps.Where(v => !ports.ContainsKey(v)))
        {
            var ofport = await bridges.GetOfPortAsync(PortName(vtep), TimeSpan.FromSeconds(5), cancellationToken);
            if (ofport > 0) ports[vtep] = (uint)ofport;
        }
        return ports;
    }
}
