using System.Collections.Immutable;
using Akka.Actor;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.HostAgent.Host;

/// <summary>A desired state handed to the dataplane: the feed position it was made from and the endpoints it holds.</summary>
public sealed record SentVersion(Guid Epoch, long FeedVersion, ImmutableHashSet<string> Endpoints);

/// <summary>A create whose endpoint is plumbed, answered once its flows are in the switch or at <paramref name="Deadline"/>.</summary>
/// <param name="Requester">carried only to be answered by the actor; the pure code never calls it</param>
public sealed record WaitingCreate(string EndpointId, IActorRef Requester, LocalEndpointReady Reply, DateTime Deadline, DateTime Plumbed);

/// <summary>A waiting create that is done: answered with its reply when its flows are in the switch, else with a timeout.</summary>
public sealed record SettledCreate(WaitingCreate Create, bool FlowsInSwitch);

/// <summary>
/// The host agent's progress, pure: what it has sent to the dataplane and what the switch has taken,
/// the creates waiting for their flows, the OVS ports it knows, and how far start-up has come.
/// Each change returns the new progress and what the actor must do; the clock is passed in.
/// </summary>
public sealed record AgentProgress
{
    public static readonly AgentProgress Initial = new();

    /// <summary>The last dataplane version handed out; 0 before the first.</summary>
    public long Version { get; init; }

    /// <summary>The highest version the switch confirmed.</summary>
    public long Applied { get; init; }

    /// <summary>Versions not yet known to be superseded in the switch.</summary>
    public ImmutableSortedDictionary<long, SentVersion> Sent { get; init; } = ImmutableSortedDictionary<long, SentVersion>.Empty;

    /// <summary>The endpoints of the last state sent, kept apart from <see cref="Sent"/> because pruning never touches it; null before the first.</summary>
    public ImmutableHashSet<string>? LastSentEndpoints { get; init; }

    public ImmutableList<WaitingCreate> Waiting { get; init; } = [];

    /// <summary>endpoint id → ofport of the endpoints plumbed on this host</summary>
    public ImmutableDictionary<string, uint> LocalPorts { get; init; } = ImmutableDictionary.Create<string, uint>(StringComparer.Ordinal);

    public ImmutableHashSet<Ipv4> TunnelsWanted { get; init; } = [];

    /// <summary>remote VTEP → ofport of the VXLAN port towards it</summary>
    public IReadOnlyDictionary<Ipv4, uint> TunnelPorts { get; init; } = new Dictionary<Ipv4, uint>();

    public bool TunnelSyncRunning { get; init; }

    public bool FeedSynced { get; init; }
    public bool MemberUp { get; init; }
    public bool StartedReconcile { get; init; }
    public bool Ready { get; init; }

    // ---- readiness -------------------------------------------------------------------------------

    /// <summary>Reconcile needs the masters' state, and sharding (which endpoint commands go through) serves a node only once it is Up.</summary>
    public bool ReconcileDue => !Ready && !StartedReconcile && FeedSynced && MemberUp;

    public AgentProgress ReconcileStarted() => this with { StartedReconcile = true };

    public AgentProgress ReconcileFailed() => this with { StartedReconcile = false };

    /// <summary>Adopted endpoints keep their ports; the tunnels found are what the first state is made with.</summary>
    public AgentProgress Reconciled(IEnumerable<LocalEndpointReady> adopted, IReadOnlyDictionary<Ipv4, uint> tunnelPorts, ImmutableHashSet<Ipv4> tunnelsWanted) =>
        this with
        {
            LocalPorts = LocalPorts.SetItems(adopted.Select(e => KeyValuePair.Create(e.Endpoint.Id, (uint)e.OfPort))),
            TunnelPorts = tunnelPorts,
            TunnelsWanted = tunnelsWanted,
            Ready = true,
        };

    /// <summary>Why runtimes get a 503, the earliest missing step first; null once ready.</summary>
    public string? NotReadyReason(string host) =>
        Ready ? null
        : !FeedSynced ? $"agent {host} has not reached the masters' state feed yet; retry in a moment"
        : !MemberUp ? $"agent {host} is not yet Up in the cluster (a previous incarnation may still be being downed); retry in a moment"
        : $"agent {host} is reconciling the host with the masters' state; retry in a moment";

    // ---- local ports and waiting creates ---------------------------------------------------------

    public AgentProgress Plumbed(LocalEndpointReady endpoint, IActorRef requester, DateTime now, TimeSpan flowsTimeout) =>
        this with
        {
            LocalPorts = LocalPorts.SetItem(endpoint.Endpoint.Id, (uint)endpoint.OfPort),
            Waiting = Waiting.Add(new WaitingCreate(endpoint.Endpoint.Id, requester, endpoint, now + flowsTimeout, now)),
        };

    /// <summary>Removed is false when the port was not known: nothing to translate again.</summary>
    public (AgentProgress Progress, bool Removed) Unplumbed(string endpointId) =>
        LocalPorts.ContainsKey(endpointId) ? (this with { LocalPorts = LocalPorts.Remove(endpointId) }, true) : (this, false);

    /// <summary>
    /// The creates that are done at <paramref name="now"/>, in the order they came. An endpoint's flows
    /// are in the switch when a confirmed version held it, or when the switch has everything sent and
    /// the last state holds it (the version that first held it may be pruned by then).
    /// </summary>
    public (AgentProgress Progress, ImmutableArray<SettledCreate> Settled) Settle(DateTime now)
    {
        var settled = ImmutableArray.CreateBuilder<SettledCreate>();
        var stillWaiting = ImmutableList.CreateBuilder<WaitingCreate>();
        foreach (var create in Waiting)
        {
            if (FlowsInSwitch(create.EndpointId)) settled.Add(new SettledCreate(create, true));
            else if (now < create.Deadline) stillWaiting.Add(create);
            else settled.Add(new SettledCreate(create, false));
        }
        return settled.Count == 0 ? (this, []) : (this with { Waiting = stillWaiting.ToImmutable() }, settled.ToImmutable());
    }

    private bool FlowsInSwitch(string endpointId) =>
        Sent.Where(s => s.Key <= Applied).Any(s => s.Value.Endpoints.Contains(endpointId))
        || (LastSentEndpoints?.Contains(endpointId) == true && Applied == Version);

    /// <param name="feedBroughtIt">whether the masters' state holds the endpoint: if not, the feed is late, not the switch</param>
    public static string FlowsTimeoutMessage(string endpointId, bool feedBroughtIt, TimeSpan flowsTimeout) => feedBroughtIt
        ? $"endpoint {endpointId} is plumbed but its flows are not in the switch after {flowsTimeout.TotalSeconds:0} s (is ovs-vswitchd running?)"
        : $"endpoint {endpointId} is plumbed but the masters' state feed has not brought it after {flowsTimeout.TotalSeconds:0} s";

    // ---- dataplane versions ----------------------------------------------------------------------

    /// <summary>Numbers the next state for the dataplane, made from the feed at (<paramref name="epoch"/>, <paramref name="feedVersion"/>).</summary>
    public (AgentProgress Progress, long Version) Sending(Guid epoch, long feedVersion, ImmutableHashSet<string> endpoints)
    {
        var version = Version + 1;
        return (this with { Version = version, Sent = Sent.SetItem(version, new SentVersion(epoch, feedVersion, endpoints)), LastSentEndpoints = endpoints }, version);
    }

    /// <summary>
    /// The switch took <paramref name="version"/>: the feed position it came from is realized (when still known),
    /// waiting creates are settled, and only then are older versions dropped, since settling still looks at them.
    /// </summary>
    public (AgentProgress Progress, (Guid Epoch, long FeedVersion)? Realized, ImmutableArray<SettledCreate> Settled) DataplaneApplied(long version, DateTime now)
    {
        var withApplied = this with { Applied = Math.Max(Applied, version) };
        (Guid, long)? realized = Sent.TryGetValue(version, out var sent) ? (sent.Epoch, sent.FeedVersion) : null;
        var (settledProgress, settled) = withApplied.Settle(now);
        var pruned = settledProgress with { Sent = settledProgress.Sent.RemoveRange(settledProgress.Sent.Keys.Where(v => v < version).ToList()) };
        return (pruned, realized, settled);
    }

    // ---- tunnel ports ----------------------------------------------------------------------------

    /// <summary>
    /// One sync at a time; none when the wanted set is what was asked last and every wanted port exists,
    /// unless <paramref name="force"/> (a retry after a failure). Start is true when the actor must run one.
    /// </summary>
    public (AgentProgress Progress, bool Start) TunnelSyncWanted(ImmutableHashSet<Ipv4> wanted, bool force)
    {
        if (TunnelSyncRunning || (!force && wanted.SetEquals(TunnelsWanted) && wanted.All(TunnelPorts.ContainsKey))) return (this, false);
        return (this with { TunnelsWanted = wanted, TunnelSyncRunning = true }, true);
    }

    /// <summary>Changed is true when the ports differ from those known: the host's state must be translated again.</summary>
    public (AgentProgress Progress, bool Changed) TunnelsSynced(IReadOnlyDictionary<Ipv4, uint> ports)
    {
        var done = this with { TunnelSyncRunning = false };
        return ports.OrderBy(p => p.Key).SequenceEqual(TunnelPorts.OrderBy(p => p.Key)) ? (done, false) : (done with { TunnelPorts = ports }, true);
    }

    public AgentProgress TunnelSyncFailed() => this with { TunnelSyncRunning = false };
}
