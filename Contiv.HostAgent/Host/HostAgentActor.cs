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
    private AgentProgress _progress = AgentProgress.Initial;
    private FeedReplica _replica = FeedReplica.Empty;
    private HostTranslation? _translation;
    private IActorRef _dataplane = ActorRefs.Nobody;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(AgentRuntime runtime) => Akka.Actor.Props.Create(() => new HostAgentActor(runtime));

    public HostAgentActor(AgentRuntime runtime)
    {
        _runtime = runtime;

        Receive<ReplicaChanged>(changed =>
        {
            _replica = changed.Replica;
            _progress = _progress with { FeedSynced = _replica.Synced };
            if (!_progress.Ready)
            {
                if (_progress.ReconcileDue) StartReconcile();
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
            _progress = _progress with { MemberUp = true };
            if (_progress.ReconcileDue) StartReconcile();
        });
        Receive<TunnelsSynced>(synced =>
        {
            (_progress, var changed) = _progress.TunnelsSynced(synced.Ports);
            if (changed)
            {
                Retranslate();
                Send();
            }
            SyncTunnels(); // the wanted set may have changed meanwhile
        });
        Receive<TunnelsFailed>(failed =>
        {
            _progress = _progress.TunnelSyncFailed();
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
            if (!_progress.LocalPorts.TryGetValue(check.EndpointId, out var ofport))
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
        Receive<GetAgentStatus>(_ => Sender.Tell(new AgentStatus(_progress.Ready, _runtime.Host, _replica.Epoch, _replica.Version, _progress.Applied, _progress.LocalPorts.Count)));

        Receive<EndpointPlumbed>(plumbed =>
        {
            _progress = _progress.Plumbed(plumbed.Endpoint, plumbed.Requester, DateTime.UtcNow, _runtime.FlowsTimeout);
            LocalPortChanged(plumbed.Endpoint.Endpoint.Id);
            AnswerWaiting();
        });
        Receive<EndpointUnplumbed>(gone =>
        {
            (_progress, var removed) = _progress.Unplumbed(gone.EndpointId);
            if (removed) LocalPortChanged(gone.EndpointId);
        });

        Receive<DataplaneApplied>(applied =>
        {
            var now = DateTime.UtcNow;
            (_progress, var realized, var settled) = _progress.DataplaneApplied(applied.Version, now);
            if (realized is var (epoch, feedVersion))
                _runtime.Feed.Tell(new HostRealized(_runtime.Host, epoch, feedVersion));
            Answer(settled, now);
        });
        Receive<DataplaneApplyFailed>(failed => _log.Error("agent: the switch refused version {0}: {1}", failed.Version, failed.Reason));
        Receive<DataplaneDisconnected>(lost => _log.Warning("agent: dataplane disconnected: {0}", lost.Reason));
        Receive<CheckWaiting>(_ => AnswerWaiting());
    }

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

    private HostFacts Facts => new(_runtime.Host, _runtime.VtepIp, _runtime.UplinkPort, _progress.LocalPorts, _progress.TunnelPorts);

    private void Retranslate()
    {
        if (!_progress.Ready) return;
        _translation = HostStateTranslator.Translate([.. _replica.Views.Values], Facts, _translation?.Context.Ids ?? IdTable.Empty);
    }

    private void LocalPortChanged(string endpointId)
    {
        if (!_progress.Ready || _translation is null) return;
        _translation = HostStateTranslator.WithEndpoint(_translation with { Context = _translation.Context with { Facts = Facts } }, endpointId,
            _replica.Views.GetValueOrDefault(new FeedKey(FeedKind.Endpoint, endpointId)) as EndpointView);
        Send();
    }

    /// <summary>Every change goes to the dataplane actor, which coalesces them and skips what changes no flow; its answer is what is realized.</summary>
    private void Send()
    {
        if (!_progress.Ready || _translation is null) return;
        var state = _translation.State;
        (_progress, var version) = _progress.Sending(_replica.Epoch, _replica.Version, [.. state.LocalEndpoints.Keys]);
        _dataplane.Tell(new ApplyHostState(state, version));
    }

    private ImmutableHashSet<Ipv4> RemoteVteps() =>
        _replica.All<HostView>().Where(h => h.Name != _runtime.Host).Select(h => Ipv4.Parse(h.VtepIp)).Where(v => v != _runtime.VtepIp).ToImmutableHashSet();

    private void SyncTunnels(bool force = false)
    {
        var wanted = RemoteVteps();
        (_progress, var start) = _progress.TunnelSyncWanted(wanted, force);
        if (!start) return;
        _runtime.Tunnels.SyncAsync(wanted, CancellationToken.None).PipeTo(Self,
            success: ports => new TunnelsSynced(ports, wanted), failure: ex => new TunnelsFailed(ex.GetBaseException().Message));
    }

    /// <summary>A create is answered once a version holding the endpoint is in the switch, or with an error when that takes too long.</summary>
    private void AnswerWaiting()
    {
        var now = DateTime.UtcNow;
        (_progress, var settled) = _progress.Settle(now);
        Answer(settled, now);
    }

    private void Answer(ImmutableArray<SettledCreate> settled, DateTime now)
    {
        foreach (var (create, flowsInSwitch) in settled)
        {
            if (flowsInSwitch)
            {
                create.Requester.Tell(create.Reply);
                _log.Info("endpoint {0}: flows in the switch {1:0.0} ms after plumbing", create.EndpointId, (now - create.Plumbed).TotalMilliseconds);
                continue;
            }
            var feedBroughtIt = _replica.Views.ContainsKey(new FeedKey(FeedKind.Endpoint, create.EndpointId));
            create.Requester.Tell(ApiError.Unavailable(AgentProgress.FlowsTimeoutMessage(create.EndpointId, feedBroughtIt, _runtime.FlowsTimeout)));
        }
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
        if (_progress.NotReadyReason(_runtime.Host) is not { } reason) return false;
        Sender.Tell(ApiError.Unavailable(reason));
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
