using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.HostAgent.Feed;
using Contiv.HostAgent.Plumbing;
using Contiv.HostAgent.Translation;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;

namespace Contiv.HostAgent.Host;

/// <summary>The agent answers 503 to runtimes until this is true: it has the masters' state and has reconciled the host with it.</summary>
public sealed record GetAgentStatus;

public sealed record AgentStatus(bool Ready, string Host, Guid Epoch, long FeedVersion, long AppliedVersion, int LocalEndpoints);

/// <summary>The agent's copy of the masters' state (networks, groups) for plugins that must resolve names: answered with the <see cref="FeedReplica"/>, or 503 until ready.</summary>
public sealed record GetFeedReplica;

/// <summary>
/// The host agent: follows the feed, keeps one endpoint actor per local endpoint, keeps a VXLAN port
/// per remote host, and hands the dataplane actor the host's desired state whenever any of that
/// changes. Nothing reaches the switch before the first snapshot and the start-up reconcile: the
/// flows of a restarted agent's host stay as they were until it knows what they should be.
/// </summary>
public sealed partial class HostAgentActor : ReceiveActor, IWithTimers
{
    private readonly AgentRuntime _runtime;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, uint> _localPorts = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (Guid Epoch, long FeedVersion, ImmutableHashSet<string> Endpoints)> _sent = [];
    private readonly List<(string EndpointId, IActorRef Requester, LocalEndpointReady Reply, DateTime Deadline, DateTime Plumbed)> _waiting = [];
    private IReadOnlyDictionary<Ipv4, uint> _tunnelPorts = new Dictionary<Ipv4, uint>();
    private ImmutableHashSet<Ipv4> _tunnelsWanted = [];
    private bool _tunnelSyncRunning;
    private FeedReplica _replica = FeedReplica.Empty;
    private HostTranslation? _translation;
    private HostState? _lastSent;
    private long _version;
    private long _applied;
    private bool _ready;
    private IActorRef _dataplane = ActorRefs.Nobody;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(AgentRuntime runtime) => Akka.Actor.Props.Create(() => new HostAgentActor(runtime));

    public HostAgentActor(AgentRuntime runtime)
    {
        _runtime = runtime;

        Receive<ReplicaChanged>(changed =>
        {
            _replica = changed.Replica;
            if (!_ready)
            {
                if (!_startedReconcile && _memberUp) StartReconcile();
                return;
            }
            SyncTunnels();
            _translation = HostStateTranslator.Follow(_translation, _replica.Views, changed.Changes, Facts);
            Send();
        });
        Receive<Reconciled>(OnReconciled);
        // Endpoint commands go through sharding, which serves a node only once it is Up: a restarted
        // agent on a new address waits until the masters have downed its old incarnation.
        Receive<SelfUp>(_ =>
        {
            _memberUp = true;
            if (_replica.Synced && !_startedReconcile) StartReconcile();
        });
        Receive<TunnelsSynced>(synced =>
        {
            _tunnelSyncRunning = false;
            if (!synced.Ports.OrderBy(p => p.Key).SequenceEqual(_tunnelPorts.OrderBy(p => p.Key)))
            {
                _tunnelPorts = synced.Ports;
                Retranslate();
                Send();
            }
            SyncTunnels(); // the wanted set may have changed meanwhile
        });
        Receive<TunnelsFailed>(failed =>
        {
            _tunnelSyncRunning = false;
            _log.Warning("agent: tunnel ports not synced: {0}; retrying", failed.Reason);
            Timers.StartSingleTimer("tunnels", new RetryTunnels(), TimeSpan.FromSeconds(2));
        });
        Receive<RetryTunnels>(_ => SyncTunnels(force: true));

        Receive<CreateLocalEndpoint>(create =>
        {
            if (NotReady()) return;
            Endpoint(create.Request.Id).Forward(create);
        });
        Receive<DeleteLocalEndpoint>(delete =>
        {
            if (NotReady()) return;
            Endpoint(delete.EndpointId).Forward(delete);
        });
        Receive<GetLocalEndpoint>(get =>
        {
            if (NotReady()) return;
            var child = Context.Child(get.EndpointId);
            if (child.IsNobody()) Sender.Tell(ApiError.NotFound($"endpoint {get.EndpointId} not found on host {_runtime.Host}"));
            else child.Forward(get);
        });
        Receive<CheckLocalEndpoint>(check =>
        {
            if (NotReady()) return;
            if (!_localPorts.TryGetValue(check.EndpointId, out var ofport))
                Sender.Tell(ApiError.NotFound($"endpoint {check.EndpointId} is not attached on host {_runtime.Host}"));
            else
                CheckEndpointAsync(check.EndpointId, (int)ofport).PipeTo(Sender);
        });
        Receive<ListLocalEndpoints>(list =>
        {
            if (NotReady()) return;
            Sender.Tell(new LocalEndpointList([.. _replica.All<EndpointView>()
                .Select(v => v.Endpoint)
                .Where(e => e.Spec.Host == _runtime.Host && (list.Label is null || HasLabel(e.Spec.Labels, list.Label)))
                .OrderBy(e => e.Id, StringComparer.Ordinal)]));
        });
        Receive<GetFeedReplica>(_ =>
        {
            if (NotReady()) return;
            Sender.Tell(_replica);
        });
        Receive<GetAgentStatus>(_ => Sender.Tell(new AgentStatus(_ready, _runtime.Host, _replica.Epoch, _replica.Version, _applied, _localPorts.Count)));

        Receive<EndpointPlumbed>(plumbed =>
        {
            _localPorts[plumbed.Endpoint.Endpoint.Id] = (uint)plumbed.Endpoint.OfPort;
            _waiting.Add((plumbed.Endpoint.Endpoint.Id, plumbed.Requester, plumbed.Endpoint, DateTime.UtcNow + _runtime.FlowsTimeout, DateTime.UtcNow));
            LocalPortChanged(plumbed.Endpoint.Endpoint.Id);
            AnswerWaiting();
        });
        Receive<EndpointUnplumbed>(gone =>
        {
            if (_localPorts.Remove(gone.EndpointId)) LocalPortChanged(gone.EndpointId);
        });

        Receive<DataplaneApplied>(applied =>
        {
            _applied = Math.Max(_applied, applied.Version);
            if (_sent.TryGetValue(applied.Version, out var sent))
                _runtime.Feed.Tell(new HostRealized(_runtime.Host, sent.Epoch, sent.FeedVersion));
            AnswerWaiting();
            foreach (var old in _sent.Keys.Where(v => v < applied.Version).ToList()) _sent.Remove(old);
        });
        Receive<DataplaneApplyFailed>(failed => _log.Error("agent: the switch refused version {0}: {1}", failed.Version, failed.Reason));
        Receive<DataplaneDisconnected>(lost => _log.Warning("agent: dataplane disconnected: {0}", lost.Reason));
        Receive<CheckWaiting>(_ => AnswerWaiting());
    }

    private bool _startedReconcile;
    private bool _memberUp;

    protected override void PreStart()
    {
        var host = new HostView(_runtime.Host, _runtime.VtepIp.ToString(), _runtime.Uplink, _runtime.NodeAddress);
        Context.ActorOf(FeedFollowerActor.Props(_runtime.Feed, host, Self, _runtime.ResubscribeAfter, _runtime.SilenceTimeout), "feed");
        _dataplane = Context.ActorOf(DataplaneActor.Props(_runtime.Switch, _runtime.Dataplane, Self), "dataplane");
        Timers.StartPeriodicTimer("waiting", new CheckWaiting(), TimeSpan.FromMilliseconds(500));
        var self = Self;
        Akka.Cluster.Cluster.Get(Context.System).RegisterOnMemberUp(() => self.Tell(new SelfUp()));
    }

    // ---- desired state -------------------------------------------------------------------------

    private HostFacts Facts => new(_runtime.Host, _runtime.VtepIp, _runtime.UplinkPort, _localPorts, _tunnelPorts);

    private void Retranslate()
    {
        if (!_ready) return;
        _translation = HostStateTranslator.Translate([.. _replica.Views.Values], Facts, _translation?.Context.Ids ?? IdTable.Empty);
    }

    private void LocalPortChanged(string endpointId)
    {
        if (!_ready || _translation is null) return;
        _translation = HostStateTranslator.WithEndpoint(_translation with { Context = _translation.Context with { Facts = Facts } }, endpointId,
            _replica.Views.GetValueOrDefault(new FeedKey(FeedKind.Endpoint, endpointId)) as EndpointView);
        Send();
    }

    /// <summary>Every change goes to the dataplane actor, which coalesces them and skips what changes no flow; its answer is what is realized.</summary>
    private void Send()
    {
        if (!_ready || _translation is null) return;
        var state = _translation.State;
        _version++;
        _sent[_version] = (_replica.Epoch, _replica.Version, [.. state.LocalEndpoints.Keys]);
        _lastSent = state;
        _dataplane.Tell(new ApplyHostState(state, _version));
    }

    private ImmutableHashSet<Ipv4> RemoteVteps() =>
        _replica.All<HostView>().Where(h => h.Name != _runtime.Host).Select(h => Ipv4.Parse(h.VtepIp)).Where(v => v != _runtime.VtepIp).ToImmutableHashSet();

    private void SyncTunnels(bool force = false)
    {
        var wanted = RemoteVteps();
        if (_tunnelSyncRunning || (!force && wanted.SetEquals(_tunnelsWanted) && wanted.All(_tunnelPorts.ContainsKey))) return;
        _tunnelsWanted = wanted;
        _tunnelSyncRunning = true;
        _runtime.Tunnels.SyncAsync(wanted, CancellationToken.None).PipeTo(Self,
            success: ports => new TunnelsSynced(ports, wanted), failure: ex => new TunnelsFailed(ex.GetBaseException().Message));
    }

    /// <summary>A create is answered once a version holding the endpoint is in the switch, or with an error when that takes too long.</summary>
    private void AnswerWaiting()
    {
        var now = DateTime.UtcNow;
        _waiting.RemoveAll(w =>
        {
            var inSwitch = _sent.Where(s => s.Key <= _applied).Any(s => s.Value.Endpoints.Contains(w.EndpointId))
                           || (_lastSent?.LocalEndpoints.ContainsKey(w.EndpointId) == true && _applied == _version);
            if (inSwitch)
            {
                w.Requester.Tell(w.Reply);
                _log.Info("endpoint {0}: flows in the switch {1:0.0} ms after plumbing", w.EndpointId, (now - w.Plumbed).TotalMilliseconds);
                return true;
            }
            if (now < w.Deadline) return false;
            w.Requester.Tell(ApiError.Unavailable(_replica.Views.ContainsKey(new FeedKey(FeedKind.Endpoint, w.EndpointId))
                ? $"endpoint {w.EndpointId} is plumbed but its flows are not in the switch after {_runtime.FlowsTimeout.TotalSeconds:0} s (is ovs-vswitchd running?)"
                : $"endpoint {w.EndpointId} is plumbed but the masters' state feed has not brought it after {_runtime.FlowsTimeout.TotalSeconds:0} s"));
            return true;
        });
    }

    /// <summary>Off the actor's thread: reads only (the host, OVSDB, the switch through the dataplane actor).</summary>
    private async Task<object> CheckEndpointAsync(string id, int ofport)
    {
        if (await _runtime.Plumber.HostSideProblemAsync(id, ofport) is { } hostProblem) return ApiError.Conflict($"endpoint {id}: {hostProblem}");
        var flows = await _dataplane.Ask<EndpointFlowsChecked>(new CheckEndpointFlows(id), _runtime.MasterTimeout);
        if (flows.Problem is not null)
        {
            var examples = string.Join("; ", flows.Missing.Take(3).Select(f => $"table {f.Table} priority {f.Priority} {f.Match}"));
            return ApiError.Conflict($"endpoint {id}: {flows.Problem}{(examples.Length > 0 ? $" (missing: {examples})" : "")}");
        }
        return new LocalEndpointChecked(id, EndpointNames.HostInterface(id), ofport, flows.Expected);
    }

    private IActorRef Endpoint(string id)
    {
        var child = Context.Child(id);
        return child.IsNobody()
            ? Context.ActorOf(EndpointActor.Props(id, new EndpointContext(_runtime.Host, _runtime.Plumber, _runtime.Masters, _runtime.MasterTimeout, _runtime.EndpointMtu)), id)
            : child;
    }

    private static bool HasLabel(string? labels, string label) =>
        (labels ?? "").Split(',', StringSplitOptions.TrimEntries).Contains(label, StringComparer.Ordinal);

    private bool NotReady()
    {
        if (_ready) return false;
        Sender.Tell(ApiError.Unavailable(
            !_replica.Synced ? $"agent {_runtime.Host} has not reached the masters' state feed yet; retry in a moment"
            : !_memberUp ? $"agent {_runtime.Host} is not yet Up in the cluster (a previous incarnation may still be being downed); retry in a moment"
            : $"agent {_runtime.Host} is reconciling the host with the masters' state; retry in a moment"));
        return true;
    }

    private sealed record Reconciled(ImmutableArray<LocalEndpointReady> Adopted, TunnelsSynced? Tunnels, string? Error,
        ImmutableArray<string> Problems = default, ImmutableArray<string> DockerNotes = default);

    private sealed record TunnelsSynced(IReadOnlyDictionary<Ipv4, uint> Ports, ImmutableHashSet<Ipv4> Wanted);

    private sealed record TunnelsFailed(string Reason);

    private sealed record RetryTunnels;

    private sealed record CheckWaiting;

    private sealed record SelfUp;
}
