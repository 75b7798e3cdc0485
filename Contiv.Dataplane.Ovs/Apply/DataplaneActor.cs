using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.Pipeline;

namespace Contiv.Dataplane.Ovs.Apply;

/// <summary>
/// Owns the OpenFlow session with the host's bridge and keeps the switch equal to the newest desired
/// host state: changes arriving close together are coalesced into one bundle; each bundle is a diff
/// against what this session installed. On every (re)connect the installed flows and groups are read
/// back; flows are replaced under a new cookie round (new flows in, then the old round out, in one
/// atomic bundle) and groups are diffed, so an agent restart or an ovs-vswitchd restart converges
/// without a forwarding gap and an unchanged group is left alone.
/// </summary>
public sealed class DataplaneActor : ReceiveActor, IWithTimers
{
    private readonly SwitchConnector _connect;
    private readonly DataplaneSettings _settings;
    private readonly IActorRef _reportTo;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _lifetime = new();

    private ApplyHostState? _desired;          // newest version asked for
    private ApplyHostState? _applied;          // newest version in the switch
    private int _queuedSinceFlush;
    private ISwitch? _switch;
    private Found? _foundOnConnect;             // read back on connect; non-null until the round swap is done
    private CompiledFlows? _installed;          // what this session put in the switch
    private byte _round;
    private TimeSpan _backoff;
    private long _lastBundleEnded;              // Stopwatch timestamp

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SwitchConnector connect, DataplaneSettings settings, IActorRef reportTo) =>
        Akka.Actor.Props.Create(() => new DataplaneActor(connect, settings, reportTo));

    public DataplaneActor(SwitchConnector connect, DataplaneSettings settings, IActorRef reportTo)
    {
        _connect = connect;
        _settings = settings;
        _reportTo = reportTo;
        _backoff = settings.ReconnectMinBackoff;
        Disconnected();
    }

    protected override void PreStart() => Self.Tell(Reconnect.Instance);

    protected override void PostStop()
    {
        _lifetime.Cancel();
        _switch?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2));
    }

    // ---- behaviours ---------------------------------------------------------------------------

    private void Disconnected()
    {
        Receive<ApplyHostState>(Remember);
        Receive<Reconnect>(_ =>
        {
            _connect(_lifetime.Token)
                .ContinueWith(async task =>
                {
                    var session = await task;
                    try
                    {
                        var flows = await session.ReadFlowsAsync(_lifetime.Token);
                        var groups = await session.ReadGroupsAsync(_lifetime.Token);
                        return (object)new SessionOpened(session, new Found(flows, groups));
                    }
                    catch
                    {
                        // The next attempt opens its own session; this one would otherwise stay open unused.
                        await session.DisposeAsync();
                        throw;
                    }
                }, TaskScheduler.Default)
                .Unwrap()
                .PipeTo(Self, failure: ex => new SessionFailed(ex.GetBaseException().Message));
        });
        Receive<SessionOpened>(opened =>
        {
            _switch = opened.Switch;
            _foundOnConnect = opened.Found;
            _installed = null;
            _round = NextRound(opened.Found.Flows);
            _backoff = _settings.ReconnectMinBackoff;
            var session = opened.Switch;
            session.Closed.ContinueWith(_ => new SessionLost(session), TaskScheduler.Default).PipeTo(Self);
            _log.Info("dataplane: connected; {0} flows and {1} groups found, installing round {2}",
                opened.Found.Flows.Count, opened.Found.Groups.Count, _round);
            Become(Ready);
            if (_desired is not null) Self.Tell(Flush.Instance);
        });
        Receive<SessionFailed>(failed =>
        {
            _log.Warning("dataplane: cannot reach the switch ({0}); retrying in {1}", failed.Reason, _backoff);
            Timers.StartSingleTimer(Reconnect.Instance, Reconnect.Instance, _backoff);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _settings.ReconnectMaxBackoff.Ticks));
        });
        Receive<SessionLost>(_ => { });
        Receive<Flush>(_ => { });
        Receive<CheckEndpointFlows>(check => Sender.Tell(new EndpointFlowsChecked(check.EndpointId, 0, [], "the agent is not connected to the switch")));
    }

    private void Ready()
    {
        Receive<ApplyHostState>(state =>
        {
            Remember(state);
            // A change after a quiet spell goes at once (an endpoint waits for its flows); one close
            // behind the last bundle waits out the window, coalescing a burst into few bundles.
            var sinceLastBundle = Stopwatch.GetElapsedTime(_lastBundleEnded);
            if (_queuedSinceFlush >= _settings.MaxBatch || sinceLastBundle >= _settings.BatchWindow) Self.Tell(Flush.Instance);
            else if (!Timers.IsTimerActive(Flush.Instance)) Timers.StartSingleTimer(Flush.Instance, Flush.Instance, _settings.BatchWindow - sinceLastBundle);
        });
        Receive<Flush>(_ => StartApply());
        Receive<SessionLost>(LoseSession);
        Receive<CheckEndpointFlows>(CheckFlows);
    }

    private void Applying()
    {
        Receive<ApplyHostState>(Remember);
        Receive<Flush>(_ => { }); // the next flush follows this apply
        Receive<ApplyDone>(done =>
        {
            _installed = done.Compiled;
            _foundOnConnect = null;
            _lastBundleEnded = Stopwatch.GetTimestamp();
            _applied = done.Request;
            _reportTo.Tell(new DataplaneApplied(done.Request.Version, done.Compiled.Round, done.Compiled.Count, done.Operations, done.Took));
            Become(Ready);
            if (_desired is not null && _desired.Version > done.Request.Version) Self.Tell(Flush.Instance);
        });
        Receive<ApplyRefused>(refused =>
        {
            // The bundle was rolled back whole: the switch still holds what it held.
            _log.Error("dataplane: version {0} refused by the switch: {1}", refused.Request.Version, refused.Reason);
            _lastBundleEnded = Stopwatch.GetTimestamp();
            _reportTo.Tell(new DataplaneApplyFailed(refused.Request.Version, refused.Reason));
            if (_desired?.Version == refused.Request.Version) _desired = null;
            Become(Ready);
            if (_desired is not null) Self.Tell(Flush.Instance);
        });
        Receive<SessionLost>(LoseSession);
        Receive<CheckEndpointFlows>(CheckFlows);
    }

    // ---- steps --------------------------------------------------------------------------------

    private void Remember(ApplyHostState state)
    {
        if (_desired is not null && state.Version <= _desired.Version) return;
        _desired = state;
        _queuedSinceFlush++;
    }

    private void StartApply()
    {
        Timers.Cancel(Flush.Instance);
        if (_desired is null || _switch is null) return;
        if (_foundOnConnect is null && _applied?.Version == _desired.Version) return;
        _queuedSinceFlush = 0;
        var request = _desired;
        var compiled = FlowCompiler.Compile(request.State, _round);
        IReadOnlyList<FlowOp> operations = _foundOnConnect is { } found
            // A new session: every flow is replaced under the new round, but groups found are
            // diffed, so an unchanged group is not deleted and re-added (OVS would take every flow
            // using it along, and reset its counters).
            ? FlowDiff.RoundSwap(compiled, found.Flows, found.Groups).Operations
            : FlowDiff.Diff(compiled, _installed!.Flows, _installed.Groups).Operations();
        if (operations.Count == 0)
        {
            _applied = request;
            _reportTo.Tell(new DataplaneApplied(request.Version, _round, compiled.Count, 0, TimeSpan.Zero));
            return;
        }
        var session = _switch;
        var watch = Stopwatch.StartNew();
        session.ApplyAsync(operations, _lifetime.Token)
            .WaitAsync(_settings.ApplyTimeout)
            .PipeTo(Self,
                success: () => new ApplyDone(request, compiled, operations.Count, watch.Elapsed),
                failure: ex => ex is TimeoutException
                    ? new SessionLost(session)
                    : new ApplyRefused(request, ex.GetBaseException().Message));
        Become(Applying);
    }

    /// <summary>Reads the switch's flows back (not what this actor believes it wrote) and looks for the endpoint's.</summary>
    private void CheckFlows(CheckEndpointFlows check)
    {
        if (_installed is null || _switch is null)
        {
            Sender.Tell(new EndpointFlowsChecked(check.EndpointId, 0, [], "the agent is still installing its flows after connecting to the switch"));
            return;
        }
        var expected = _installed.OwnedBy(OwnerKind.LocalEndpoint, FlowCookie.IdOf(check.EndpointId)).ToList();
        if (expected.Count == 0)
        {
            Sender.Tell(new EndpointFlowsChecked(check.EndpointId, 0, [], "the flows applied so far have none for this endpoint"));
            return;
        }
        var requester = Sender;
        _switch.ReadFlowsAsync(_lifetime.Token).PipeTo(requester,
            success: found =>
            {
                var inSwitch = found.ToHashSet();
                var missing = expected.Where(f => !inSwitch.Contains(f)).ToList();
                return new EndpointFlowsChecked(check.EndpointId, expected.Count, missing,
                    missing.Count == 0 ? null : $"{missing.Count} of its {expected.Count} flows are not in the switch");
            },
            failure: ex => new EndpointFlowsChecked(check.EndpointId, expected.Count, [], $"reading the switch's flows failed: {ex.GetBaseException().Message}"));
    }

    private void LoseSession(SessionLost lost)
    {
        if (!ReferenceEquals(lost.Switch, _switch)) return;
        _log.Warning("dataplane: lost the switch; reconnecting");
        _reportTo.Tell(new DataplaneDisconnected("the OpenFlow session ended"));
        _ = _switch.DisposeAsync().AsTask();
        _switch = null;
        _installed = null;
        _desired ??= _applied;
        _applied = null;
        Become(Disconnected);
        Timers.StartSingleTimer(Reconnect.Instance, Reconnect.Instance, _backoff);
    }

    /// <summary>The round after the newest one found (1..255; 0 is never used).</summary>
    private static byte NextRound(IReadOnlyList<Flow> flows)
    {
        var newest = flows.Count == 0 ? 0 : flows.Max(f => FlowCookie.From(f.Cookie).Round);
        return (byte)(newest % 255 + 1);
    }

    private sealed class Reconnect
    {
        public static readonly Reconnect Instance = new();
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed record Found(IReadOnlyList<Flow> Flows, IReadOnlyList<GroupEntry> Groups);

    private sealed record SessionOpened(ISwitch Switch, Found Found);

    private sealed record SessionFailed(string Reason);

    private sealed record SessionLost(ISwitch Switch);

    private sealed record ApplyDone(ApplyHostState Request, CompiledFlows Compiled, int Operations, TimeSpan Took);

    private sealed record ApplyRefused(ApplyHostState Request, string Reason);
}
