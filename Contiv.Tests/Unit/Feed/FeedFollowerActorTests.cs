using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Contiv.HostAgent.Feed;
using Contiv.Master.Feed;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;
using Xunit;

namespace Contiv.Tests.Unit.Feed;

/// <summary>
/// The follower actor against a feed that loses, duplicates and reorders what it sends (and
/// sometimes ignores a subscription): the follower's re-subscriptions on gaps and on silence bring
/// its replica to exactly the feed's state.
/// </summary>
public sealed class FeedFollowerActorTests : TestKit
{
    private sealed record Change(FeedChange What);

    private sealed record GetState;

    /// <summary>A feed over <see cref="FeedState"/> whose channel to the subscriber is unreliable.</summary>
    private sealed class LossyFeed : ReceiveActor
    {
        private readonly Random _random = new(7);
        private FeedState _state = new(Guid.NewGuid(), LogCapacity: 8);
        private IActorRef _subscriber = ActorRefs.Nobody;
        private readonly Guid _source = Guid.NewGuid();
        private long _seq;

        public LossyFeed()
        {
            Receive<SubscribeFeed>(subscribe =>
            {
                _subscriber = Sender;
                if (_random.NextDouble() < 0.2) return; // this subscription is lost
                foreach (var message in _state.CatchUp(subscribe.Epoch, subscribe.Version, snapshotPartSize: 3)) Send(message);
            });
            Receive<Change>(change =>
            {
                var outcome = _state.OnChanged(new SourceChanged("tenant/t1", _source, ++_seq, [change.What]));
                if (outcome.NeedDump) outcome = _state.OnDump(new SourceDump("tenant/t1", _source, _seq,
                    [.. _state.Views.Values.Where(v => v.Key != change.What.Key), .. change.What.View is null ? [] : new[] { change.What.View }]));
                _state = outcome.State;
                if (outcome.Delta is { } delta) Send(delta);
            });
            Receive<FeedVersion>(_ => _subscriber.Tell(new FeedVersion(_state.Epoch, _state.Version))); // the periodic version, always delivered
            Receive<GetState>(_ => Sender.Tell(_state));
        }

        private void Send(object message)
        {
            var roll = _random.NextDouble();
            if (roll < 0.25) return;                                                  // lost
            if (roll < 0.4) Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(_random.Next(1, 30)), _subscriber, message, Self); // late: reordered
            else _subscriber.Tell(message);
            if (_random.NextDouble() < 0.15) _subscriber.Tell(message);             // duplicated
        }
    }

    private static FeedChange Endpoint(int i, bool remove) => remove
        ? FeedChange.Remove(new FeedKey(FeedKind.Endpoint, $"ep{i}"))
        : FeedChange.Upsert(new EndpointView(new EndpointInfo($"ep{i}", new EndpointSpec("t1", "n1", null, $"c{i}", "h1"), $"10.1.0.{i % 200 + 2}", 24, "02:02:0a:01:00:02", null)));

    [Fact]
    public async Task The_follower_ends_with_exactly_the_feeds_state()
    {
        var feed = Sys.ActorOf(Props.Create(() => new LossyFeed()));
        var listener = CreateTestProbe();
        Sys.ActorOf(FeedFollowerActor.Props(feed, new HostView("h1", "192.0.2.1", null, "akka.tcp://contiv@127.0.0.1:1"), listener.Ref,
            resubscribeAfter: TimeSpan.FromMilliseconds(200), silenceTimeout: TimeSpan.FromMilliseconds(500)));

        var random = new Random(3);
        var live = new List<int>();
        for (var i = 0; i < 150; i++)
        {
            var remove = live.Count > 0 && random.NextDouble() < 0.3;
            var which = remove ? live[random.Next(live.Count)] : i;
            if (remove) live.Remove(which);
            else live.Add(which);
            feed.Tell(new Change(Endpoint(which, remove)));
            if (i % 10 == 0) await Task.Delay(5);
        }
        // Now the feed is quiet; its periodic version announcements reveal whatever was lost.
        var expected = await feed.Ask<FeedState>(new GetState());
        FeedReplica? last = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (last is null || last.Version != expected.Version))
        {
            feed.Tell(new FeedVersion(expected.Epoch, expected.Version));
            var changed = listener.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m as ReplicaChanged);
            if (changed.Count > 0) last = changed[^1]!.Replica;
        }
        Assert.NotNull(last);
        Assert.Equal(expected.Version, last.Version);
        Assert.Equal(expected.Views.Keys.Select(k => k.Name).Order(), last.Views.Keys.Select(k => k.Name).Order());
        Assert.Equal(live.Count, last.Views.Count);
    }
}
