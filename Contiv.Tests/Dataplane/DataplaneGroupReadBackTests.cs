using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;
using Contiv.Dataplane.Ovs.Pipeline;
using Contiv.Lab;
using Contiv.Tests.OpenFlow;
using Contiv.Tests.Ovs;
using Contiv.Tests.Pipeline;
using Xunit;

namespace Contiv.Tests.Dataplane;

/// <summary>
/// The dataplane actor on a real ovs-vswitchd reads the groups back on every new session: an
/// unchanged group survives a reconnect untouched (its packet counter proves it is the same group
/// object in the switch), a changed one is modified, a stray one deleted last.
/// </summary>
[Trait("Category", "Ovs")]
[Collection(OvsCollection.Name)]
public sealed partial class DataplaneGroupReadBackTests : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan ApplyWait = TimeSpan.FromSeconds(20);
    private static readonly DataplaneSettings Settings = DataplaneSettings.From(Akka.Configuration.Config.Empty);

    // Two hosts so that flood groups carry tunnel buckets as well as local and uplink ones.
    private static readonly HostState State = Cluster.TwoTenants(ForwardingMode.Bridge, hosts: 2).For(0);

    private OvsSandbox _ovs = null!;
    private SwitchRecorder _recorder = null!;

    private string Bridge => _ovs.BridgeName("br0");

    public async Task InitializeAsync()
    {
        _ovs = await OvsSandbox.StartAsync();
        var port = await _ovs.AddBridgeAsync("br0");
        _recorder = new SwitchRecorder(OpenFlowSwitch.Connector($"tcp:127.0.0.1:{port}", Settings.OpenFlow));
    }

    public async Task DisposeAsync()
    {
        Shutdown();
        await _ovs.DisposeAsync();
    }

    [Fact]
    public async Task A_reconnect_leaves_unchanged_groups_in_place_and_swaps_only_the_flows()
    {
        var dataplane = Sys.ActorOf(DataplaneActor.Props(_recorder.Connector, Settings, TestActor));
        dataplane.Tell(new ApplyHostState(State, 1));
        var first = ExpectMsg<DataplaneApplied>(ApplyWait);
        var groups = FlowCompiler.Compile(State, first.Round).Groups;
        Assert.True(groups.Length >= 6, $"the state should compile to several groups, not {groups.Length}");
        await CountOnePacketThroughEachAsync(groups);
        var before = await GroupStatsAsync();
        Assert.All(groups, g => Assert.Equal(1UL, before[g.Id].Packets));

        var firstSession = Assert.Single(_recorder.Sessions);
        await firstSession.DropAsync();
        ExpectMsg<DataplaneDisconnected>(ApplyWait);
        var again = ExpectMsg<DataplaneApplied>(ApplyWait);
        Assert.Equal(1, again.Version);
        Assert.NotEqual(first.Round, again.Round);

        // What the actor saw and sent in the new session.
        var second = _recorder.Sessions.Last();
        Assert.NotSame(firstSession, second);
        Assert.Equal(groups, second.GroupsRead!.OrderBy(g => g.Id));
        var bundle = Assert.Single(second.Applied);
        Assert.DoesNotContain(bundle, op => op is AddGroup or ModifyGroup or DeleteGroup);
        var compiled = FlowCompiler.Compile(State, again.Round);
        Assert.Equal(compiled.Count, bundle.OfType<AddFlow>().Count());
        Assert.Contains(new DeleteFlowsByCookie((ulong)first.Round << 56, FlowCookie.RoundMask), bundle);

        // What the switch holds: the same group objects (counters kept), the new round's flows.
        var after = await GroupStatsAsync();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(groups, g => Assert.Equal(1UL, after[g.Id].Packets));
        Assert.All(groups, g => Assert.True(after[g.Id].Duration >= before[g.Id].Duration));
        await AssertSwitchHoldsAsync(compiled);
    }

    [Fact]
    public async Task A_restarted_dataplane_modifies_changed_groups_first_and_deletes_a_stray_group_last()
    {
        var first = Sys.ActorOf(DataplaneActor.Props(_recorder.Connector, Settings, TestActor));
        first.Tell(new ApplyHostState(State, 1));
        var applied = ExpectMsg<DataplaneApplied>(ApplyWait);
        var before = FlowCompiler.Compile(State, applied.Round).Groups;
        await CountOnePacketThroughEachAsync(before);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first, ApplyWait);
        await _ovs.Ofctl("add-group", Bridge, "group_id=99,type=all,bucket=output:5");

        // A new endpoint in network 1 changes both of its flood groups and nothing else.
        var changed = State.WithLocalEndpoint(new LocalEndpoint("new", 30, "02:00:0a:00:00:30", "10.1.0.13", 1, 1));
        var second = Sys.ActorOf(DataplaneActor.Props(_recorder.Connector, Settings, TestActor));
        second.Tell(new ApplyHostState(changed, 2));
        var again = ExpectMsg<DataplaneApplied>(ApplyWait);
        var compiled = FlowCompiler.Compile(changed, again.Round);
        uint[] network1 = [FloodGroups.AllId(1), FloodGroups.LocalId(1)];

        var session = _recorder.Sessions.Last();
        Assert.Contains(session.GroupsRead!, g => g.Id == 99);
        var bundle = Assert.Single(session.Applied).ToList();
        Assert.Equal(network1, bundle.OfType<ModifyGroup>().Select(m => m.Group.Id).Order());
        Assert.Equal([new DeleteGroup(99)], bundle.OfType<DeleteGroup>());
        Assert.DoesNotContain(bundle, op => op is AddGroup);
        Assert.True(bundle.FindLastIndex(op => op is ModifyGroup) < bundle.FindIndex(op => op is AddFlow), "groups change before flows use them");
        Assert.Equal(bundle.Count - 1, bundle.IndexOf(new DeleteGroup(99)));

        var stats = await GroupStatsAsync();
        Assert.DoesNotContain(99u, stats.Keys);
        Assert.All(before.Where(g => !network1.Contains(g.Id)), g => Assert.Equal(1UL, stats[g.Id].Packets));
        await AssertSwitchHoldsAsync(compiled);
    }

    /// <summary>The switch's groups print exactly as ours do, and its flows are the compiled ones of the round.</summary>
    private async Task AssertSwitchHoldsAsync(CompiledFlows compiled)
    {
        var expected = OfpPrint.Run(OpenFlowCodec.Encode(new GroupDescReply(compiled.Groups), 1)).Split('\n').Skip(1).Order(StringComparer.Ordinal);
        var dumped = (await _ovs.Ofctl("dump-groups", Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Order(StringComparer.Ordinal);
        Assert.Equal(expected, dumped);
        var cookies = (await _ovs.Ofctl("dump-flows", Bridge, "--no-stats")).Split('\n')
            .Where(l => l.Contains("cookie=", StringComparison.Ordinal))
            .Select(l => Convert.ToUInt64(l.Split("cookie=0x")[1].Split(',')[0], 16)).ToList();
        Assert.Equal(compiled.Count, cookies.Count);
        Assert.All(cookies, cookie => Assert.Equal(compiled.Round, FlowCookie.From(cookie).Round));
    }

    /// <summary>A packet-out through each group: a group deleted and added again would count from zero.</summary>
    private async Task CountOnePacketThroughEachAsync(IEnumerable<GroupEntry> groups)
    {
        const string arp = "ffffffffffff02000a0000010806000108000604000102000a0000010a01000b0000000000000a01000c";
        foreach (var group in groups)
            await _ovs.Ofctl("packet-out", Bridge, $"in_port=controller,packet={arp},actions=group:{group.Id}");
    }

    private async Task<Dictionary<uint, (ulong Packets, double Duration)>> GroupStatsAsync() =>
        GroupStatLine().Matches(await _ovs.Ofctl("dump-group-stats", Bridge)).ToDictionary(
            m => uint.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture),
            m => (ulong.Parse(m.Groups["packets"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["duration"].Value, CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"group_id=(?<id>\d+),duration=(?<duration>[0-9.]+)s,ref_count=\d+,packet_count=(?<packets>\d+)")]
    private static partial Regex GroupStatLine();
}
