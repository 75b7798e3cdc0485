using Contiv.Lab;
using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;
using Contiv.Tests.Ovs;
using Xunit;

namespace Contiv.Tests.OpenFlow;

/// <summary>Our client against a private ovs-vswitchd (userspace datapath): bundles, read-back, atomicity, cookies, ports.</summary>
[Trait("Category", "Ovs")]
[Collection(Contiv.Tests.Ovs.OvsCollection.Name)]
public sealed class RealSwitchTests : IAsyncLifetime
{
    private const ulong CookieA = 0x0101_0000_0000_00aa;
    private const ulong CookieB = 0x0102_0000_0000_00bb;
    private const ulong OwnerMask = 0x00ff_ffff_ffff_ffff;

    private OvsSandbox _ovs = null!;
    private OpenFlowConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _ovs = await OvsSandbox.StartAsync();
        var port = await _ovs.AddBridgeAsync("br0");
        _connection = await ConnectWithRetryAsync($"tcp:127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        await _ovs.DisposeAsync();
    }

    private static async Task<OpenFlowConnection> ConnectWithRetryAsync(string target)
    {
        // vswitchd opens the controller port shortly after ovs-vsctl returns
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await OpenFlowConnection.ConnectAsync(target);
            }
            catch (OpenFlowProtocolException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static readonly GroupEntry Flood = new(1, GroupType.All, [new Bucket([new Output(Ports.Local)])]);

    private static Flow[] ThreeFlows =>
    [
        new(0, 100, Match.Any.InPort(Ports.Local).Ip(), Instructions.Goto(1).AndApply(new SetField(Field.Reg0, 5)), CookieA),
        new(1, 200, Match.Any.Reg(0, 5).Tcp().Ipv4Dst(CodecCases.Ip("10.1.0.0"), 16).TcpDst(80),
            Instructions.Actions(new Ct(true, 7, 2) { Actions = [new SetField(Field.CtMark, 1)] }), CookieA),
        new(2, 10, Match.Any.CtState(CtStateBits.Established | CtStateBits.Tracked, CtStateBits.Established | CtStateBits.Tracked),
            Instructions.Actions(new ToGroup(1)), CookieB),
    ];

    private async Task InstallAsync() =>
        await _connection.ApplyBundleAsync([GroupMod.Add(Flood), .. ThreeFlows.Select(FlowMod.Add)]);

    private Task<string> DumpFlowsAsync() => _ovs.Ofctl("dump-flows", _ovs.BridgeName("br0"), "--no-stats");

    [Fact]
    public async Task A_bundle_of_three_flows_and_a_group_is_installed_and_reads_back_equal()
    {
        Assert.True(_connection.Features.Tables >= 3);
        await InstallAsync();
        var dump = await DumpFlowsAsync();
        Assert.Contains("cookie=0x1010000000000aa, priority=100,ip,in_port=LOCAL actions=set_field:0x5->reg0,goto_table:1", dump);
        Assert.Contains("cookie=0x1010000000000aa, table=1, priority=200,tcp,reg0=0x5,nw_dst=10.1.0.0/16,tp_dst=80 actions=ct(commit,table=2,zone=7,exec(set_field:0x1->ct_mark))", dump);
        Assert.Contains("cookie=0x1020000000000bb, table=2, priority=10,ct_state=+est+trk actions=group:1", dump);
        Assert.Contains("group_id=1,type=all,bucket=actions=LOCAL", await _ovs.Ofctl("dump-groups", _ovs.BridgeName("br0")));

        var read = await _connection.DumpFlowsAsync();
        Assert.Equal(ThreeFlows.ToHashSet(), read.Select(s => s.Flow).ToHashSet());
        var tableOne = await _connection.DumpFlowsAsync(new FlowStatsRequest(1));
        Assert.Equal([ThreeFlows[1]], tableOne.Select(s => s.Flow));
        var byCookie = await _connection.DumpFlowsAsync(new FlowStatsRequest(Ofp.AllTables, CookieB, ulong.MaxValue));
        Assert.Equal([ThreeFlows[2]], byCookie.Select(s => s.Flow));
    }

    [Fact]
    public async Task A_bundle_with_one_invalid_flow_fails_naming_it_and_changes_nothing()
    {
        await InstallAsync();
        var before = await DumpFlowsAsync();
        var good = new Flow(0, 50, Match.Any.Arp(), Instructions.Actions(new Output(Ports.Local)), CookieB);
        var backwards = new Flow(3, 60, Match.Any.Ip(), Instructions.Goto(1), CookieB); // goto an earlier table
        var ex = await Assert.ThrowsAsync<OpenFlowBundleException>(() =>
            _connection.ApplyBundleAsync([FlowMod.Add(good), FlowMod.Add(backwards), FlowMod.DeleteByCookie(CookieA, ulong.MaxValue)]));
        Assert.Equal(1, ex.FailedIndex);
        Assert.Equal(FlowMod.Add(backwards), ex.FailedMessage);
        Assert.Contains("message 1", ex.Message);
        Assert.Contains("table=3", ex.Message);
        Assert.Equal(before, await DumpFlowsAsync());
        Assert.True(_connection.IsConnected);
    }

    [Fact]
    public async Task A_bundle_failing_at_commit_is_rolled_back_and_names_the_flow()
    {
        await InstallAsync();
        var before = await DumpFlowsAsync();
        var good = new Flow(0, 50, Match.Any.Arp(), Instructions.Actions(new Output(Ports.Local)), CookieB);
        var missingGroup = new Flow(0, 51, Match.Any.Arp(), Instructions.Actions(new ToGroup(99)), CookieB); // group 99 does not exist
        var ex = await Assert.ThrowsAsync<OpenFlowBundleException>(() =>
            _connection.ApplyBundleAsync([FlowMod.DeleteByCookie(CookieA, ulong.MaxValue), FlowMod.Add(good), FlowMod.Add(missingGroup)]));
        Assert.Equal(2, ex.FailedIndex);
        Assert.Contains("priority=51", ex.Message);
        Assert.Equal(before, await DumpFlowsAsync());
    }

    [Fact]
    public async Task Delete_by_cookie_mask_removes_exactly_the_flows_of_one_cookie()
    {
        await InstallAsync();
        await _connection.SendAndBarrierAsync([FlowMod.DeleteByCookie(CookieA & OwnerMask, OwnerMask)]);
        var read = await _connection.DumpFlowsAsync();
        Assert.Equal([ThreeFlows[2]], read.Select(s => s.Flow));
        var dump = await DumpFlowsAsync();
        Assert.DoesNotContain("0x1010000000000aa", dump);
    }

    [Fact]
    public async Task Plain_flow_mods_with_a_barrier_report_the_failing_one()
    {
        await _connection.SendAndBarrierAsync([GroupMod.Add(Flood)]);
        var bad = new Flow(0, 5, Match.Any, Instructions.Actions(new Output(0xffffff01)), CookieA); // a reserved port number OpenFlow 1.3 does not define
        var ex = await Assert.ThrowsAsync<OpenFlowErrorException>(() => _connection.SendAndBarrierAsync([FlowMod.Add(ThreeFlows[2]), FlowMod.Add(bad)]));
        Assert.Contains("message 1", ex.Message);
        Assert.Equal("OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT", ex.Error.Name);
    }

    [Fact]
    public async Task Installed_groups_read_back_equal_to_what_was_installed_and_to_what_ovs_ofctl_dumps()
    {
        Assert.Empty(await _connection.DumpGroupsAsync());
        GroupEntry flood = new(0x1000_0002, GroupType.All,
            [new Bucket([new Output(Ports.Local)]), new Bucket([new PushVlan(), new SetField(Field.VlanVid, 0x1000 | 20), new Output(Ports.Local)])]);
        GroupEntry balance = new(3, GroupType.Select,
            [new Bucket([new SetField(Field.Ipv4Dst, CodecCases.Ip("10.1.0.5")), new Output(Ports.Local)], 50), new Bucket([new Output(Ports.Local)], 100)]);
        await _connection.SendAndBarrierAsync([GroupMod.Add(flood), GroupMod.Add(balance)]);

        var read = await _connection.DumpGroupsAsync();
        Assert.Equal([balance, flood], read.OrderBy(g => g.Id));

        // What we decoded, printed by OVS's own printer, is line for line what ovs-ofctl decoded.
        var ours = OfpPrint.Run(OpenFlowCodec.Encode(new GroupDescReply(read), 1)).Split('\n').Skip(1).Order(StringComparer.Ordinal);
        var theirs = (await _ovs.Ofctl("dump-groups", _ovs.BridgeName("br0"))).Replace("\r", "", StringComparison.Ordinal)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Order(StringComparer.Ordinal);
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public async Task Port_desc_lists_the_bridge_local_port()
    {
        var ports = await _connection.GetPortsAsync();
        var local = Assert.Single(ports, p => p.PortNo == Ports.Local);
        Assert.Equal(_ovs.BridgeName("br0"), local.Name);
        Assert.NotEqual(0UL, local.HwAddr);
    }

    [Fact]
    public async Task The_client_works_over_the_bridge_unix_socket_and_as_the_actors_switch()
    {
        await using var unix = await OpenFlowConnection.ConnectAsync("unix:" + Path.Combine(_ovs.Directory, _ovs.BridgeName("br0") + ".mgmt"));
        Assert.Equal(_connection.Features.DatapathId, unix.Features.DatapathId);
        await using var sw = new OpenFlowSwitch(unix);
        await sw.ApplyAsync([new Contiv.Dataplane.Ovs.Apply.AddGroup(Flood), .. ThreeFlows.Select(f => new Contiv.Dataplane.Ovs.Apply.AddFlow(f))], CancellationToken.None);
        await sw.ApplyAsync([new Contiv.Dataplane.Ovs.Apply.DeleteFlow(ThreeFlows[0].Key)], CancellationToken.None);
        Assert.Equal(ThreeFlows[1..].ToHashSet(), (await sw.ReadFlowsAsync(CancellationToken.None)).ToHashSet());
        Assert.Equal([Flood], await sw.ReadGroupsAsync(CancellationToken.None));
    }
}
