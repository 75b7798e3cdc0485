using Akka.Actor;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.HostAgent.Feed;
using Contiv.HostAgent.Translation;
using Contiv.Messages.Feed;

namespace Contiv.Bench.Agents;

/// <summary>A rule id the simulated agent's dataplane now holds, and when it got there.</summary>
public sealed record RuleRealized(int Agent, string RuleId, long StopwatchTicks);

/// <summary>
/// One simulated host agent: the real feed follower and host-state translation, and a recording
/// dataplane (it keeps the host state it was handed instead of compiling it into a switch). It
/// tells the collector when a bench rule first appears in the state it holds, and reports the
/// version as realized to the feed, as a real agent does.
/// </summary>
public sealed class SimAgentActor : ReceiveActor
{
    private readonly int _index;
    private readonly IActorRef _collector;
    private readonly HostFacts _facts;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly IActorRef _feed;
    private HostTranslation? _translation;

    public static Props Props(int index, IActorRef feed, IActorRef collector) =>
        Akka.Actor.Props.Create(() => new SimAgentActor(index, feed, collector));

    public SimAgentActor(int index, IActorRef feed, IActorRef collector)
    {
        _index = index;
        _feed = feed;
        _collector = collector;
        _facts = new HostFacts(Name(index), Vtep(index), null, new Dictionary<string, uint>(), new Dictionary<Ipv4, uint>());
        Receive<ReplicaChanged>(changed =>
        {
            var replica = changed.Replica;
            _translation = HostStateTranslator.Follow(_translation, replica.Views, changed.Changes, _facts);
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var policy in _translation.State.Policies.Values)
            {
                foreach (var rule in policy.Rules.Values)
                {
                    var key = "r" + rule.Port;
                    if (_seen.Add(key)) _collector.Tell(new RuleRealized(_index, key, now));
                }
            }
            _feed.Tell(new HostRealized(Name(index), replica.Epoch, replica.Version));
        });
    }

    protected override void PreStart()
    {
        var host = new HostView(Name(_index), Vtep(_index).ToString(), null, Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString());
        Context.ActorOf(FeedFollowerActor.Props(_feed, host, Self, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10)), "feed");
    }

    public static string Name(int index) => $"sim{index:D3}";

    public static Ipv4 Vtep(int index) => new(Ipv4.Parse("198.18.0.1").Value + (uint)index);
}
