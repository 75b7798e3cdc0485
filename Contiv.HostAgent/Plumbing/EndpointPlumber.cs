using Contiv.Dataplane.Ovs.Ovsdb;

namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// The host side of endpoints: a veth pair per endpoint, one end configured inside the container's
/// network namespace, the other an OVS port on <see cref="Bridge"/>. Every step reads before it writes,
/// so running <see cref="AttachAsync"/> again after a crash at any point finishes the job, and
/// <see cref="DetachAsync"/> and <see cref="ListAsync"/> find everything by names derived from the
/// endpoint id (<see cref="EndpointNames"/>). Not for concurrent calls on one endpoint: its actor
/// serializes them.
/// </summary>
public sealed partial class EndpointPlumber
{
    /// <summary>external_ids keys on the OVS interface: how a restarted agent tells its ports apart.</summary>
    public const string EndpointIdKey = "contiv-endpoint";
    public const string ContainerIdKey = "contiv-container";

    /// <summary>The ifindex of the veth the port was made for: tells a port that outlived its veth (and
    /// so reads from a dead device) from one that is fine, where the database cannot (see EnsurePortAsync).</summary>
    public const string IfIndexKey = "contiv-ifindex";

    /// <summary>On a port whose namespace side may not be finished yet (the two are made at once): a
    /// restarted agent does not take such an endpoint for finished (<see cref="PlumbedEndpoint.IsComplete"/>).</summary>
    public const string AttachingKey = "contiv-attaching";

    private readonly OvsBridgeManager _bridges;
    private readonly NamespaceTools _tools;
    private readonly PlumbingSettings _settings;

    public EndpointPlumber(OvsBridgeManager bridges, string bridge, PlumbingSettings? settings = null, CommandRunner? runner = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(bridge);
        _bridges = bridges;
        Bridge = bridge;
        _settings = settings ?? PlumbingSettings.Default;
        _tools = new NamespaceTools(runner ?? new CommandRunner(_settings.CommandTimeout));
    }

    public string Bridge { get; }

    /// <summary>
    /// Plumbs the endpoint and returns its OpenFlow port. On failure (or cancellation) whatever this call
    /// created is removed again before the exception propagates; what an earlier, crashed attach left is
    /// kept, for the next attach to finish or a detach to remove.
    /// </summary>
    public async Task<int> AttachAsync(EndpointAttachment attachment, CancellationToken cancellationToken = default)
    {
        attachment.Validate();
        if (attachment.NetnsPath is { } netns) RequireNamespace(netns);
        var made = new Made();
        try
        {
            if (attachment.LeftForRuntime)
            {
                await EnsureVethForRuntimeAsync(attachment, made, cancellationToken);
                await ConfigureHostEndAsync(attachment, cancellationToken);
            }
            else if (await EnsureVethAsync(attachment, made, cancellationToken) is { } madeHostEnd)
            {
                // The namespace side and the OVS port of a pair just made do not depend on each other: both at
                // once, the processes inside running while ovs-vswitchd attaches the port. The port says it is
                // attaching until both are done, so that a crash in between leaves nothing a restarted agent
                // would take for finished. Both end before any undo.
                var inside = ConfigureFreshPairAsync(attachment, cancellationToken);
                var port = PortAsync(attachment, made, madeHostEnd, cancellationToken, attaching: true);
                await Task.WhenAll(inside, port);
                await Ovs($"marking port {attachment.HostInterface} attached", () =>
                    _bridges.EnsurePortAsync(Bridge, OvsPortSpec.System(attachment.HostInterface, externalIds: PortIds(attachment, madeHostEnd, attaching: false)), cancellationToken));
                return await port;
            }
            else
            {
                var inside = await EnsurePeerInsideAsync(attachment, cancellationToken);
                await ConfigureInsideAsync(attachment, inside, cancellationToken);
                await ConfigureHostEndAsync(attachment, cancellationToken);
            }
            return await PortAsync(attachment, made, null, cancellationToken);
        }
        catch (Exception)
        {
            await UndoAsync(attachment, made);
            throw;
        }
    }

    private async Task<int> PortAsync(EndpointAttachment attachment, Made made, IpLink? madeHostEnd, CancellationToken cancellationToken, bool attaching = false)
    {
        await EnsurePortAsync(attachment, made, madeHostEnd, attaching, cancellationToken);
        return await OfPortAsync(attachment.HostInterface, cancellationToken);
    }

    private static void RequireNamespace(string netnsPath)
    {
        // Checked before anything is made, so a container that is already gone costs nothing to undo.
        if (!Path.Exists(netnsPath))
            throw new PlumbingException($"network namespace {netnsPath} does not exist");
        if (NamespaceFile.NetworkNamespaceProblem(netnsPath) is { } problem)
            throw new PlumbingException($"{netnsPath} is not a network namespace: {problem}");
    }

    /// <summary>What this attach created, and so has to remove if it fails.</summary>
    private sealed class Made
    {
        public bool Veth { get; set; }
        public bool Port { get; set; }
    }

    private async Task UndoAsync(EndpointAttachment a, Made made)
    {
        // Not cancellable (the caller's token may be why we are here) but bounded by the command timeout
        // and the OVSDB request timeout. Failing here is tolerable: the next attach or detach converges.
        if (made.Port)
        {
            try { await _bridges.RemovePortAsync(Bridge, a.HostInterface, CancellationToken.None); }
            catch (Exception) { }
        }
        if (made.Veth)
        {
            // The peer goes with it, wherever it is by now.
            try { await _tools.IpAsync(null, CancellationToken.None, "link", "del", "dev", a.HostInterface); }
            catch (PlumbingException) { }
        }
    }
}
