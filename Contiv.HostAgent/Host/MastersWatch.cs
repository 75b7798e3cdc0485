using Akka.Actor;
using Akka.Cluster;
using Contiv.Messages.Cluster;
using Akka.Event;

namespace Contiv.HostAgent.Host;

/// <summary>
/// Watches the masters through cluster membership. A cluster cannot take back a node it has lost,
/// and a master that restarts alone forms a new cluster: so when no master has been reachable for
/// <c>masters-lost-after</c>, this ends the agent's actor system, and the program starts a new one
/// that joins through the seeds again. Forwarding is untouched: the switch keeps its flows until the
/// new incarnation has the masters' state.
/// </summary>
public sealed class MastersWatch : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _lostAfter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _masters = [];
    private readonly HashSet<Address> _unreachable = [];
    private DateTime? _noneSince; // set once masters were seen and then all went: joining is retried by Akka itself

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan lostAfter) => Akka.Actor.Props.Create(() => new MastersWatch(lostAfter));

    public MastersWatch(TimeSpan lostAfter)
    {
        _lostAfter = lostAfter;
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Members.Where(m => m.HasRole(ClusterNames.Roles.Master) && m.Status == MemberStatus.Up)) _masters.Add(member.Address);
            foreach (var member in state.Unreachable) _unreachable.Add(member.Address);
            Update();
        });
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.HasRole(ClusterNames.Roles.Master)) _masters.Add(up.Member.Address);
            Update();
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _masters.Remove(removed.Member.Address);
            _unreachable.Remove(removed.Member.Address);
            Update();
        });
        Receive<ClusterEvent.MemberExited>(exited =>
        {
            _masters.Remove(exited.Member.Address);
            Update();
        });
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            _unreachable.Add(unreachable.Member.Address);
            Update();
        });
        Receive<ClusterEvent.ReachableMember>(reachable =>
        {
            _unreachable.Remove(reachable.Member.Address);
            Update();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Check>(_ =>
        {
            if (_noneSince is not { } since || DateTime.UtcNow - since < _lostAfter) return;
            _log.Warning("agent: no master reachable for {0}; leaving the cluster to join it again through the seeds", DateTime.UtcNow - since);
            _noneSince = null;
            CoordinatedShutdown.Get(Context.System).Run(MastersLost.Instance);
        });
    }

    protected override void PreStart()
    {
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer(Check.Instance, Check.Instance, TimeSpan.FromSeconds(1));
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private bool _sawMasters;

    private void Update()
    {
        var reachable = _masters.Count(m => !_unreachable.Contains(m));
        if (reachable > 0)
        {
            _sawMasters = true;
            _noneSince = null;
        }
        else if (_sawMasters)
        {
            _noneSince ??= DateTime.UtcNow;
        }
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }
}

/// <summary>Why the agent's actor system ended: the masters were gone, so the program starts it again.</summary>
public sealed class MastersLost : CoordinatedShutdown.Reason
{
    public static readonly MastersLost Instance = new();

    private MastersLost()
    {
    }

    public override int ExitCode => 0;
}
