using System.Globalization;
using Contiv.Dataplane.Ovs.Ovsdb;

namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    /// <summary>The port for the host end; <paramref name="hostEnd"/> as this attach made it, or null to read it.</summary>
    private async Task EnsurePortAsync(EndpointAttachment a, Made made, IpLink? hostEnd, bool attaching, CancellationToken ct)
    {
        var ids = PortIds(a, hostEnd ?? await HostEndAsync(a, ct), attaching);
        var ifindex = ids[IfIndexKey];
        await Ovs($"adding port {a.HostInterface} to bridge {Bridge}", async () =>
        {
            var existing = (await _bridges.ListPortsAsync(Bridge, cancellationToken: ct)).FirstOrDefault(p => p.Name == a.HostInterface);
            if (existing is not null && (existing.OfPort is < 0 || existing.ExternalIds.GetValueOrDefault(IfIndexKey) != ifindex))
            {
                // The port was made for an earlier veth of this name. vswitchd's userspace datapath keeps
                // reading the socket it opened on that device, dead now, and the database does not show it
                // (ifindex there follows the name). Only removing the port makes vswitchd let go, and only if
                // it has acted on the removal before the port comes back: it matches ports by name.
                await _bridges.RemovePortAsync(Bridge, a.HostInterface, ct);
                await _bridges.WaitForVswitchdAsync(_settings.VswitchdTimeout, ct);
                existing = null;
            }
            await _bridges.EnsurePortAsync(Bridge, OvsPortSpec.System(a.HostInterface, externalIds: ids), ct);
            if (existing is null) made.Port = true;
        });
    }

    private static Dictionary<string, string> PortIds(EndpointAttachment a, IpLink hostEnd, bool attaching)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EndpointIdKey] = a.EndpointId,
            [ContainerIdKey] = a.ContainerId,
            [IfIndexKey] = hostEnd.Index.ToString(CultureInfo.InvariantCulture),
        };
        if (attaching) ids[AttachingKey] = "true";
        return ids;
    }

    private Task<int> OfPortAsync(string hostInterface, CancellationToken ct) =>
        Ovs($"reading the OpenFlow port of {hostInterface}", () => _bridges.GetOfPortAsync(hostInterface, _settings.VswitchdTimeout, ct));

    /// <summary>OVSDB failures become <see cref="PlumbingException"/>s saying which step they stopped,
    /// so the caller handles one exception type; cancellation stays what it is.</summary>
    private static async Task<T> Ovs<T>(string step, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is not OperationCanceledException and not PlumbingException)
        {
            throw new PlumbingException($"{step} failed: {e.Message}", e);
        }
    }

    private static Task Ovs(string step, Func<Task> action) => Ovs(step, async () => { await action(); return true; });
}
