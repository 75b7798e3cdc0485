using System.Collections.Immutable;
using Contiv.HostAgent.Feed;
using Contiv.Master.Feed;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;
using Xunit;

namespace Contiv.Tests.Unit.Feed;

/// <summary>
/// The feed protocol end to end in pure form: sources change views, the feed numbers deltas, and a
/// channel to the agent loses, duplicates and reorders them. Whatever the channel does, once it
/// is quiet and the agent has heard the newest version, the agent's replica equals the feed exactly.
/// </summary>
public sealed class FeedConvergenceTests
{
    private static EndpointView Endpoint(int i, string host) => new(new EndpointInfo($"ep{i}",
        new EndpointSpec("t1", "n1", "g1", $"c{i}", host), $"10.1.0.{i % 250 + 2}", 24, "02:02:0a:01:00:02", "10.1.0.1"));

    [Theory]
    [InlineData(1, 0.0, 0.0, 0.0)]
    [InlineData(2, 0.3, 0.0, 0.0)]
    [InlineData(3, 0.0, 0.3, 0.0)]
    [InlineData(4, 0.0, 0.0, 0.5)]
    [InlineData(5, 0.3, 0.3, 0.5)]
    [InlineData(6, 0.9, 0.2, 0.2)]
    public void The_replica_converges_to_the_feed_whatever_the_channel_does(int seed, double loss, double duplication, double reordering)
    {
        var random = new Random(seed);
        var feed = new FeedState(Guid.NewGuid(), LogCapacity: 16);
        var replica = FeedReplica.Empty;
        var channel = new List<object>();
        var incarnation = Guid.NewGuid();
        var seq = 0L;
        var resubscribes = 0;

        void Send(object message)
        {
            if (random.NextDouble() < loss) return;
            channel.Insert(random.NextDouble() < reordering && channel.Count > 0 ? random.Next(channel.Count) : channel.Count, message);
            if (random.NextDouble() < duplication) channel.Add(message);
        }

        void Deliver(object message)
        {
            (replica, var verdict) = replica.On(message);
            if (verdict != FeedVerdict.Resubscribe) return;
            resubscribes++;
            foreach (var answer in feed.CatchUp(replica.Epoch, replica.Version, snapshotPartSize: 7)) Send(answer);
        }

        foreach (var answer in feed.CatchUp(Guid.Empty, 0, snapshotPartSize: 7)) Send(answer);
        var live = new List<int>();
        for (var step = 0; step < 400; step++)
        {
            // The source changes something: a new endpoint, or one goes away.
            FeedChange change;
            if (live.Count > 0 && random.NextDouble() < 0.4)
            {
                var gone = live[random.Next(live.Count)];
                live.Remove(gone);
                change = FeedChange.Remove(new FeedKey(FeedKind.Endpoint, $"ep{gone}"));
            }
            else
            {
                live.Add(step);
                change = FeedChange.Upsert(Endpoint(step, step % 2 == 0 ? "h1" : "h2"));
            }
            var outcome = feed.OnChanged(new SourceChanged("tenant/t1", incarnation, ++seq, [change]));
            if (seq == 1)
            {
                Assert.True(outcome.NeedDump, "a source the feed has never seen must dump first");
                outcome = feed.OnDump(new SourceDump("tenant/t1", incarnation, 1, [.. live.Select(i => (FeedView)Endpoint(i, i % 2 == 0 ? "h1" : "h2"))]));
            }
            feed = outcome.State;
            if (outcome.Delta is { } delta) Send(delta);
            if (step % 25 == 0) Send(new FeedVersion(feed.Epoch, feed.Version));

            // The agent takes a few messages now and then.
            for (var n = random.Next(3); n > 0 && channel.Count > 0; n--)
            {
                var next = channel[0];
                channel.RemoveAt(0);
                Deliver(next);
            }
        }

        // Quiet: everything still in flight arrives, then the periodic version tells of anything lost.
        for (var round = 0; round < 50 && (channel.Count > 0 || replica.Version != feed.Version); round++)
        {
            loss = 0;
            while (channel.Count > 0)
            {
                var next = channel[0];
                channel.RemoveAt(0);
                Deliver(next);
            }
            Deliver(new FeedVersion(feed.Epoch, feed.Version));
        }

        Assert.Equal(feed.Epoch, replica.Epoch);
        Assert.Equal(feed.Version, replica.Version);
        Assert.Equal(feed.Views.Keys.OrderBy(k => k.Name), replica.Views.Keys.OrderBy(k => k.Name));
        Assert.All(feed.Views, view => Assert.Equal(view.Value, replica.Views[view.Key]));
        Assert.Equal(live.Count, replica.Views.Count);
        if (loss > 0 || reordering > 0) Assert.True(resubscribes > 0);
    }

    [Fact]
    public void A_source_that_restarted_or_skipped_a_change_is_asked_for_a_dump()
    {
        var feed = new FeedState(Guid.NewGuid(), 16);
        var first = Guid.NewGuid();
        feed = feed.OnDump(new SourceDump("tenant/t1", first, 3, [Endpoint(1, "h1")])).State;
        Assert.False(feed.OnChanged(new SourceChanged("tenant/t1", first, 4, [FeedChange.Upsert(Endpoint(2, "h1"))])).NeedDump);
        Assert.True(feed.OnChanged(new SourceChanged("tenant/t1", first, 5, [FeedChange.Upsert(Endpoint(2, "h1"))])).NeedDump, "a gap");
        Assert.True(feed.OnChanged(new SourceChanged("tenant/t1", Guid.NewGuid(), 1, [])).NeedDump, "a new incarnation");
        var duplicate = feed.OnChanged(new SourceChanged("tenant/t1", first, 3, [FeedChange.Upsert(Endpoint(9, "h1"))]));
        Assert.False(duplicate.NeedDump);
        Assert.Null(duplicate.Delta);
    }

    [Fact]
    public void An_empty_dump_from_a_source_never_seen_is_not_remembered_and_its_first_change_asks_for_a_dump()
    {
        var feed = new FeedState(Guid.NewGuid(), 16);
        var incarnation = Guid.NewGuid();
        var outcome = feed.OnDump(new SourceDump("tenant/ghost", incarnation, 0, []));
        Assert.Empty(outcome.State.Sources);
        Assert.Null(outcome.Delta);
        Assert.True(outcome.State.OnChanged(new SourceChanged("tenant/ghost", incarnation, 1, [FeedChange.Upsert(Endpoint(1, "h1"))])).NeedDump);

        // A known source that dumps empty still has its views removed.
        var known = feed.OnDump(new SourceDump("tenant/t1", incarnation, 1, [Endpoint(1, "h1")])).State;
        var emptied = known.OnDump(new SourceDump("tenant/t1", Guid.NewGuid(), 0, []));
        Assert.DoesNotContain(emptied.State.Views.Keys, k => k.Kind == FeedKind.Endpoint);
    }

    [Fact]
    public void A_dump_replaces_the_sources_views_and_sends_only_the_difference()
    {
        var feed = new FeedState(Guid.NewGuid(), 16);
        var incarnation = Guid.NewGuid();
        feed = feed.OnDump(new SourceDump("tenant/t1", incarnation, 1, [Endpoint(1, "h1"), Endpoint(2, "h1")])).State;
        var outcome = feed.OnDump(new SourceDump("tenant/t1", Guid.NewGuid(), 0, [Endpoint(2, "h1"), Endpoint(3, "h2")]));
        var delta = Assert.IsType<FeedDelta>(outcome.Delta);
        Assert.Equal(["Endpoint/ep1:removed", "Endpoint/ep3:upserted"],
            delta.Changes.Select(c => $"{c.Key}:{(c.View is null ? "removed" : "upserted")}").Order().ToArray());
        Assert.Equal(2, outcome.State.Views.Count);
    }
}

public sealed class FeedRealizationTests
{
    [Fact]
    public void A_rule_added_or_removed_moves_its_policys_change_version()
    {
        var feed = new FeedState(Guid.NewGuid(), 16);
        var source = Guid.NewGuid();
        feed = feed.OnDump(new SourceDump("tenant/t1", source, 1, [new PolicyView("t1", "p1")])).State;
        var policy = new FeedKey(FeedKind.Policy, "t1:p1");
        var before = feed.ChangedAt[policy];
        var rule = new Contiv.Messages.Model.RuleConfig { TenantName = "t1", PolicyName = "p1", RuleId = "r1", Direction = "in", Action = "deny" };
        feed = feed.OnChanged(new SourceChanged("tenant/t1", source, 2, [FeedChange.Upsert(new RuleView(rule))])).State;
        Assert.Equal(feed.Version, feed.ChangedAt[policy]);
        Assert.True(feed.ChangedAt[policy] > before);
        feed = feed.OnChanged(new SourceChanged("tenant/t1", source, 3, [FeedChange.Remove(new FeedKey(FeedKind.Rule, "t1:p1:7"))])).State;
        Assert.Equal(feed.Version, feed.ChangedAt[policy]);
    }
}
