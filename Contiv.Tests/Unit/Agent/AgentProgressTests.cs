using System.Collections.Immutable;
using Akka.Actor;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.HostAgent.Host;
using Contiv.Messages.Endpoints;
using Xunit;

namespace Contiv.Tests.Unit.Agent;

public sealed class AgentProgressTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan FlowsTimeout = TimeSpan.FromSeconds(10);
    private static readonly Guid Epoch = Guid.NewGuid();

    private static LocalEndpointReady Ready(string id, int ofport = 5) =>
        new(new EndpointInfo(id, new EndpointSpec("t1", "n1", null, "c-" + id, "h1"), "10.1.0.9", 24, "02:02:0a:01:00:09", "10.1.0.1"), "eth0", "vport-" + id, ofport, "/var/run/netns/" + id);

    private static ImmutableHashSet<string> Ids(params string[] ids) => [.. ids];

    private static AgentProgress Serving => AgentProgress.Initial with { FeedSynced = true, MemberUp = true, StartedReconcile = true, Ready = true };

    [Fact]
    public void Sending_numbers_versions_and_applying_one_realizes_its_feed_position()
    {
        var (p1, v1) = Serving.Sending(Epoch, 7, Ids("a"));
        var (p2, v2) = p1.Sending(Epoch, 8, Ids("a", "b"));
        Assert.Equal((1L, 2L), (v1, v2));

        var (applied, realized, settled) = p2.DataplaneApplied(1, T0);
        Assert.Equal((Epoch, 7L), realized);
        Assert.Equal(1, applied.Applied);
        Assert.Empty(settled);

        // a version already pruned realizes nothing, and an older answer does not lower Applied
        var (after2, _, _) = applied.DataplaneApplied(2, T0);
        var (late, lateRealized, _) = after2.DataplaneApplied(1, T0);
        Assert.Null(lateRealized);
        Assert.Equal(2, late.Applied);
    }

    [Fact]
    public void Versions_older_than_the_applied_one_are_pruned_and_it_is_kept()
    {
        var progress = Serving;
        for (var i = 0; i < 3; i++) (progress, _) = progress.Sending(Epoch, i, Ids());
        var (applied, _, _) = progress.DataplaneApplied(2, T0);
        Assert.Equal([2L, 3L], applied.Sent.Keys);
    }

    [Fact]
    public void A_waiting_create_is_answered_when_a_version_holding_it_is_applied()
    {
        var (sent, _) = Serving.Plumbed(Ready("a"), ActorRefs.Nobody, T0, FlowsTimeout).Sending(Epoch, 1, Ids("a"));
        var (stillWaiting, nothing) = sent.Settle(T0.AddSeconds(1));
        Assert.Empty(nothing);
        Assert.Single(stillWaiting.Waiting);

        var (applied, _, settled) = stillWaiting.DataplaneApplied(1, T0.AddSeconds(1));
        var answered = Assert.Single(settled);
        Assert.True(answered.FlowsInSwitch);
        Assert.Equal("a", answered.Create.EndpointId);
        Assert.Equal(T0, answered.Create.Plumbed);
        Assert.Empty(applied.Waiting);
    }

    [Fact]
    public void Settling_looks_at_older_versions_before_they_are_pruned()
    {
        // "a" is only in version 1; version 2 (without it) is applied first, so 1 is still there to look at.
        var (p1, _) = Serving.Plumbed(Ready("a"), ActorRefs.Nobody, T0, FlowsTimeout).Sending(Epoch, 1, Ids("a"));
        var (p2, _) = p1.Sending(Epoch, 2, Ids());
        var (p3, _) = p2.Sending(Epoch, 3, Ids());
        var (_, _, settled) = p3.DataplaneApplied(2, T0);
        Assert.True(Assert.Single(settled).FlowsInSwitch);
    }

    [Fact]
    public void A_create_is_answered_when_the_last_state_sent_holds_it_and_everything_sent_is_applied()
    {
        // version 1 (which held "a") was pruned before "a" was plumbed; version 2 still holds it
        var (p1, _) = Serving.Sending(Epoch, 1, Ids("a"));
        var (p2, _) = p1.Sending(Epoch, 2, Ids("a"));
        var (applied, _, _) = p2.DataplaneApplied(2, T0);
        applied = applied with { Sent = applied.Sent.Clear() };
        var waiting = applied.Plumbed(Ready("a"), ActorRefs.Nobody, T0, FlowsTimeout);

        var (_, settled) = waiting.Settle(T0);
        Assert.True(Assert.Single(settled).FlowsInSwitch);

        // not while a later version is still on its way
        var (sentMore, _) = waiting.Sending(Epoch, 3, Ids("a"));
        var (stillWaiting, none) = (sentMore with { Sent = sentMore.Sent.Clear() }).Settle(T0);
        Assert.Empty(none);
        Assert.Single(stillWaiting.Waiting);
    }

    [Fact]
    public void A_create_times_out_at_its_deadline_in_the_order_the_creates_came()
    {
        var waiting = Serving.Plumbed(Ready("a"), ActorRefs.Nobody, T0, FlowsTimeout)
            .Plumbed(Ready("b"), ActorRefs.Nobody, T0.AddSeconds(1), FlowsTimeout);

        var (beforeDeadline, none) = waiting.Settle(T0 + FlowsTimeout - TimeSpan.FromTicks(1));
        Assert.Empty(none);
        Assert.Equal(2, beforeDeadline.Waiting.Count);

        var (afterFirst, first) = waiting.Settle(T0 + FlowsTimeout);
        Assert.Equal("a", Assert.Single(first).Create.EndpointId);
        Assert.False(first[0].FlowsInSwitch);
        Assert.Equal("b", Assert.Single(afterFirst.Waiting).EndpointId);

        var (_, both) = waiting.Settle(T0.AddMinutes(1));
        Assert.Equal(["a", "b"], both.Select(s => s.Create.EndpointId));
    }

    [Fact]
    public void The_timeout_says_whether_the_switch_or_the_feed_is_late()
    {
        Assert.Equal("endpoint a is plumbed but its flows are not in the switch after 10 s (is ovs-vswitchd running?)",
            AgentProgress.FlowsTimeoutMessage("a", feedBroughtIt: true, FlowsTimeout));
        Assert.Equal("endpoint a is plumbed but the masters' state feed has not brought it after 10 s",
            AgentProgress.FlowsTimeoutMessage("a", feedBroughtIt: false, FlowsTimeout));
    }

    [Fact]
    public void Plumbed_and_unplumbed_endpoints_change_the_local_ports()
    {
        var plumbed = AgentProgress.Initial.Plumbed(Ready("a", ofport: 12), ActorRefs.Nobody, T0, FlowsTimeout);
        Assert.Equal(12u, plumbed.LocalPorts["a"]);
        Assert.Equal(T0 + FlowsTimeout, Assert.Single(plumbed.Waiting).Deadline);

        var (gone, removed) = plumbed.Unplumbed("a");
        Assert.True(removed);
        Assert.Empty(gone.LocalPorts);
        Assert.False(gone.Unplumbed("a").Removed);
    }

    [Fact]
    public void A_tunnel_sync_runs_when_the_wanted_set_changes_or_a_port_is_missing_or_it_is_forced()
    {
        var vtep = Ipv4.Parse("192.0.2.2");
        var (running, start) = AgentProgress.Initial.TunnelSyncWanted([vtep], force: false);
        Assert.True(start);
        Assert.True(running.TunnelSyncRunning);
        Assert.False(running.TunnelSyncWanted([], force: true).Start); // one at a time

        var (synced, changed) = running.TunnelsSynced(new Dictionary<Ipv4, uint> { [vtep] = 3 });
        Assert.True(changed);
        Assert.False(synced.TunnelSyncRunning);
        Assert.False(synced.TunnelSyncWanted([vtep], force: false).Start);
        Assert.True(synced.TunnelSyncWanted([vtep], force: true).Start);
        Assert.True(synced.TunnelSyncWanted([], force: false).Start);

        // the same set asked, but its port was not made: try again
        var missing = synced with { TunnelPorts = new Dictionary<Ipv4, uint>() };
        Assert.True(missing.TunnelSyncWanted([vtep], force: false).Start);

        Assert.False(synced.TunnelsSynced(new Dictionary<Ipv4, uint> { [vtep] = 3 }).Changed);
        Assert.False(running.TunnelSyncFailed().TunnelSyncRunning);
    }

    [Fact]
    public void Readiness_reasons_name_the_earliest_missing_step()
    {
        var start = AgentProgress.Initial with { MemberUp = true };
        Assert.Equal("agent h1 has not reached the masters' state feed yet; retry in a moment", start.NotReadyReason("h1"));
        Assert.False(start.ReconcileDue);

        var synced = AgentProgress.Initial with { FeedSynced = true };
        Assert.Equal("agent h1 is not yet Up in the cluster (a previous incarnation may still be being downed); retry in a moment", synced.NotReadyReason("h1"));
        Assert.False(synced.ReconcileDue);

        var due = synced with { MemberUp = true };
        Assert.True(due.ReconcileDue);
        var reconciling = due.ReconcileStarted();
        Assert.False(reconciling.ReconcileDue);
        Assert.Equal("agent h1 is reconciling the host with the masters' state; retry in a moment", reconciling.NotReadyReason("h1"));
        Assert.True(reconciling.ReconcileFailed().ReconcileDue);

        var vtep = Ipv4.Parse("192.0.2.2");
        var ready = reconciling.Reconciled([Ready("a", ofport: 7)], new Dictionary<Ipv4, uint> { [vtep] = 3 }, [vtep]);
        Assert.Null(ready.NotReadyReason("h1"));
        Assert.False(ready.ReconcileDue);
        Assert.Equal(7u, ready.LocalPorts["a"]);
        Assert.Equal(3u, ready.TunnelPorts[vtep]);
        Assert.Equal([vtep], ready.TunnelsWanted);
    }
}
