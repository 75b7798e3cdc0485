using Contiv.Dataplane.Ovs.Ovsdb;

namespace Contiv.HostAgent.Plumbing;

public sealed partial class EndpointPlumber
{
    private async Task EnsurePortAsync(EndpointAttachment a, Made made, CancellationToken ct)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal) { [EndpointIdKey] = a.EndpointId, [ContainerIdKey] = a.ContainerId };
        await Ovs($"adding port {a.HostInterface} to bridge {Bridge}", async () =>
        {
            var existing = (await _bridges.ListPortsAsync(Bridge, cancellationToken: ct)).FirstOrDefault(p => p.Name == a.HostInterface);
            if (existing is not null && (made.Veth || existing.OfPort is < 0))
            {
                // vswitchd holds on to the device it opened when the port was added; for a veth made just
                // now, or one it failed to open, the port has to be added anew to be opened again.
                await _bridges.RemovePortAsync(Bridge, a.HostInterface, ct);
                existing = null;
            }
            await _bridges.EnsurePortAsync(Bridge, OvsPortSpec.System(a.HostInterface, externalIds: ids), ct);
            if (existing is null) made.Port = true;
        });
    }

    private Task<int> OfPortAsync(string hostInterface, CancellationToken ct) =>
        Ovs($"reading the OpenFlow port of {hostInterface}", () => _bridges.GetOfPortAsync(hostInterface, _settings.OfPortTimeout, ct));

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
