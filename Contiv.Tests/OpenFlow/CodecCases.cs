using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.OpenFlow;
using Contiv.Dataplane.Ovs.OpenFlow.Messages;

namespace Contiv.Tests.OpenFlow;

/// <summary>Messages covering every message type, match field and action the codec supports, with what ovs-ofctl must print.</summary>
public static class CodecCases
{
    public const ulong Cookie = 0x0102_0300_0000_0042;

    public static uint Ip(string dotted) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(dotted).GetAddressBytes());

    public static Flow PolicyFlow => new(2, 100,
        Match.Any.CtState(CtStateBits.New | CtStateBits.Tracked, CtStateBits.New | CtStateBits.Tracked).Tcp().Reg(1, 5)
            .Ipv4Dst(Ip("10.1.0.0"), 16).TcpDst(80),
        Instructions.Actions(new Ct(true, 7, 3)), Cookie);

    public static readonly (string Name, OfpMessage Message, uint Xid, string Expected)[] All =
    [
        ("hello", new Hello(), 1,
            "OFPT_HELLO (OF1.3) (xid=0x1):\n version bitmap: 0x04"),
        ("echo_request", new EchoRequest([1, 2, 3]), 2,
            "OFPT_ECHO_REQUEST (OF1.3) (xid=0x2): 3 bytes of payload\n00000000  01 02 03                                        |...             |"),
        ("echo_reply", new EchoReply([1, 2, 3]), 2,
            "OFPT_ECHO_REPLY (OF1.3) (xid=0x2): 3 bytes of payload\n00000000  01 02 03                                        |...             |"),
        ("features_request", new FeaturesRequest(), 3,
            "OFPT_FEATURES_REQUEST (OF1.3) (xid=0x3):"),
        ("features_reply", new FeaturesReply(0x0000_1234_5678_9abc, 0, 254, 0, 0x4f), 3,
            "OFPT_FEATURES_REPLY (OF1.3) (xid=0x3): dpid:0000123456789abc\nn_tables:254, n_buffers:0\ncapabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS"),
        ("barrier_request", new BarrierRequest(), 4,
            "OFPT_BARRIER_REQUEST (OF1.3) (xid=0x4):"),
        ("barrier_reply", new BarrierReply(), 4,
            "OFPT_BARRIER_REPLY (OF1.3) (xid=0x4):"),
        ("flow_mod_policy", FlowMod.Add(PolicyFlow), 5,
            "OFPT_FLOW_MOD (OF1.3) (xid=0x5): ADD table:2 priority=100,ct_state=+new+trk,tcp,reg1=0x5,nw_dst=10.1.0.0/16,tp_dst=80 cookie:0x102030000000042 actions=ct(commit,table=3,zone=7)"),
        ("flow_mod_l2", FlowMod.Add(new Flow(0, 200,
            Match.Any.InPort(3).EthSrc(0x0202_0a01_0002).EthDst(0x0202_0a01_0003).Vlan(10).Metadata(0x10, 0xff),
            new Instructions { Apply = [new PopVlan(), new Output(4)], WriteMetadata = (0x20, 0xf0), GotoTable = 5 }, 1)), 6,
            "OFPT_FLOW_MOD (OF1.3) (xid=0x6): ADD priority=200,metadata=0x10/0xff,in_port=3,dl_vlan=10,dl_src=02:02:0a:01:00:02,dl_dst=02:02:0a:01:00:03 cookie:0x1 actions=pop_vlan,output:4,write_metadata:0x20/0xf0,goto_table:5"),
        ("flow_mod_ip", FlowMod.ModifyStrict(new Flow(1, 10,
            Match.Any.Ipv4Src(Ip("10.1.0.2")).Ipv4Dst(Ip("10.2.0.0"), 24).Udp().With(Field.UdpSrc, 53).With(Field.UdpDst, 5353),
            Instructions.Actions(new PushVlan(), new SetField(Field.VlanVid, 0x1000 | 20), new Output(Ports.Controller)), 2)), 7,
            "OFPT_FLOW_MOD (OF1.3) (xid=0x7): MOD_STRICT table:1 priority=10,udp,nw_src=10.1.0.2,nw_dst=10.2.0.0/24,tp_src=53,tp_dst=5353 actions=push_vlan:0x8100,set_field:4116->vlan_vid,CONTROLLER:65535"),
        ("flow_mod_icmp", new FlowMod(FlowModCommand.Modify, new Flow(1, 11,
            Match.Any.Icmp().With(Field.IcmpType, 8).With(Field.IcmpCode, 0),
            Instructions.Goto(4), 3)) { CookieMask = 0xff }, 8,
            "OFPT_FLOW_MOD (OF1.3) (xid=0x8): MOD table:1 priority=11,icmp,icmp_type=8,icmp_code=0 cookie:0x3/0xff actions=goto_table:4"),
        ("flow_mod_arp", FlowMod.Add(new Flow(3, 300,
            Match.Any.ArpOp(1).ArpSpa(Ip("10.1.0.2")).ArpTpa(Ip("10.1.0.1")).With(Field.ArpSha, 0x0202_0a01_0002).With(Field.ArpTha, 0),
            Instructions.Actions(
                new Move(Field.EthSrc, Field.EthDst),
                new Move(Field.ArpSpa, Field.ArpTpa),
                new SetField(Field.ArpOp, 2),
                new SetField(Field.EthSrc, 0x0202_0a01_0001),
                new Output(Ports.InPort)), 4)), 9,
            "OFPT_FLOW_MOD (OF1.3) (xid=0x9): ADD table:3 priority=300,arp,arp_spa=10.1.0.2,arp_tpa=10.1.0.1,arp_op=1,arp_sha=02:02:0a:01:00:02,arp_tha=00:00:00:00:00:00 cookie:0x4 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:2->arp_op,set_field:02:02:0a:01:00:01->eth_src,IN_PORT"),
        ("flow_mod_tunnel", FlowMod.Add(new Flow(4, 50,
            Match.Any.TunnelId(5000).With(Field.TunIpv4Src, Ip("198.51.100.1")).With(Field.TunIpv4Dst, Ip("198.51.100.2"))
                .Reg(0, 0x10, 0xf0).Reg(7, 1).CtZone(7).CtMark(0x1, 0x1),
            Instructions.Actions(
                new SetField(Field.TunnelId, 0x1), new SetField(Field.TunIpv4Dst, Ip("198.51.100.3")),
                new SetField(Field.Reg0, 5), new SetField(Field.Reg7, 0xffffffff),
                new Move(Field.Reg0, Field.Reg1, 16, 0, 16), new ToGroup(7), new Output(1)), 5)), 10,
            "OFPT_FLOW_MOD (OF1.3) (xid=0xa): ADD table:4 priority=50,ct_zone=7,ct_mark=0x1/0x1,reg0=0x10/0xf0,reg7=0x1,tun_id=0x1388,tun_src=198.51.100.1,tun_dst=198.51.100.2 cookie:0x5 actions=set_field:0x1->tun_id,set_field:198.51.100.3->tun_dst,set_field:0x5->reg0,set_field:0xffffffff->reg7,move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31],group:7,output:1"),
        ("flow_mod_ct_nat", FlowMod.Add(new Flow(5, 60, Match.Any.Ip(),
            Instructions.Actions(
                new Ct(true, 9, 6, new CtNat(false, Ip("10.96.0.1"), Ip("10.96.0.2"), 80, 81)) { Actions = [new SetField(Field.CtMark, 1)] },
                new Ct(false, 9, null, new CtNat(false)),
                new Ct(false, 3)), 6)), 11,
            "OFPT_FLOW_MOD (OF1.3) (xid=0xb): ADD table:5 priority=60,ip cookie:0x6 actions=ct(commit,table=6,zone=9,nat(dst=10.96.0.1-10.96.0.2:80-81),exec(set_field:0x1->ct_mark)),ct(zone=9,nat),ct(zone=3)"),
        ("flow_mod_ct_snat", FlowMod.Add(new Flow(5, 61, Match.Any.Ip(),
            Instructions.Actions(new Ct(true, 9, 6, new CtNat(true, Ip("192.0.2.10")))), 6)), 27,
            "OFPT_FLOW_MOD (OF1.3) (xid=0x1b): ADD table:5 priority=61,ip cookie:0x6 actions=ct(commit,table=6,zone=9,nat(src=192.0.2.10))"),
        ("flow_mod_delete_cookie", FlowMod.DeleteByCookie(0x0200_0000_0000_0000, 0xff00_0000_0000_0000), 12,
            "OFPT_FLOW_MOD (OF1.3) (xid=0xc): DEL table:255 priority=0 cookie:0x200000000000000/0xff00000000000000 actions=drop"),
        ("flow_mod_delete_strict", FlowMod.DeleteStrict(new Flow(2, 100, Match.Any.Arp(), Instructions.Drop, 0)), 13,
            "OFPT_FLOW_MOD (OF1.3) (xid=0xd): DEL_STRICT table:2 priority=100,arp actions=drop"),
        ("group_mod_all", GroupMod.Add(new GroupEntry(7, GroupType.All, [new Bucket([new Output(1)]), new Bucket([new Output(2)])])), 14,
            "OFPT_GROUP_MOD (OF1.3) (xid=0xe):\n ADD group_id=7,type=all,bucket=actions=output:1,bucket=actions=output:2"),
        ("group_mod_select", GroupMod.Modify(new GroupEntry(8, GroupType.Select,
            [new Bucket([new SetField(Field.Ipv4Dst, Ip("10.1.0.5")), new Output(1)], 50), new Bucket([new Output(2)], 100)])), 15,
            "OFPT_GROUP_MOD (OF1.3) (xid=0xf):\n MOD group_id=8,type=select,bucket=weight:50,actions=set_field:10.1.0.5->ip_dst,output:1,bucket=weight:100,actions=output:2"),
        ("group_mod_delete", GroupMod.Delete(8), 16,
            "OFPT_GROUP_MOD (OF1.3) (xid=0x10):\n DEL group_id=8,type=all"),
        ("flow_stats_request_all", new FlowStatsRequest(), 17,
            "OFPST_FLOW request (OF1.3) (xid=0x11):"),
        ("flow_stats_request_table", new FlowStatsRequest(2, 0x0100_0000_0000_0000, 0xff00_0000_0000_0000), 18,
            "OFPST_FLOW request (OF1.3) (xid=0x12): table=2"),
        ("flow_stats_reply", new FlowStatsReply([new FlowStats(PolicyFlow, 3, 180, 12, FlowModFlags.None)]), 18,
            "OFPST_FLOW reply (OF1.3) (xid=0x12):\n cookie=0x102030000000042, duration=12s, table=2, n_packets=3, n_bytes=180, priority=100,ct_state=+new+trk,tcp,reg1=0x5,nw_dst=10.1.0.0/16,tp_dst=80 actions=ct(commit,table=3,zone=7)"),
        ("port_desc_request", new PortDescRequest(), 19,
            "OFPST_PORT_DESC request (OF1.3) (xid=0x13): port=ANY"),
        ("port_desc_reply", new PortDescReply([new PortDesc(Ports.Local, "br0", 0x0202_0a01_0001, 1, 1)]), 19,
            "OFPST_PORT_DESC reply (OF1.3) (xid=0x13):\n LOCAL(br0): addr:02:02:0a:01:00:01\n     config:     PORT_DOWN\n     state:      LINK_DOWN\n     speed: 0 Mbps now, 0 Mbps max"),
        ("group_desc_request", new GroupDescRequest(), 28,
            "OFPST_GROUP_DESC request (OF1.3) (xid=0x1c): group_id=ALL"),
        ("group_desc_reply", new GroupDescReply([
            new GroupEntry(7, GroupType.All, [new Bucket([new Output(1)]), new Bucket([new PushVlan(), new SetField(Field.VlanVid, 0x1000 | 20), new Output(2)])]),
            new GroupEntry(0x1000_0003, GroupType.Select,
                [new Bucket([new SetField(Field.Ipv4Dst, Ip("10.1.0.5")), new Output(1)], 50), new Bucket([new Output(2)], 100)])]), 28,
            "OFPST_GROUP_DESC reply (OF1.3) (xid=0x1c):\n group_id=7,type=all,bucket=actions=output:1,bucket=actions=push_vlan:0x8100,set_field:4116->vlan_vid,output:2\n group_id=268435459,type=select,bucket=weight:50,actions=set_field:10.1.0.5->ip_dst,output:1,bucket=weight:100,actions=output:2"),
        ("bundle_open", new BundleControl(1, BundleControlType.OpenRequest, BundleFlags.Atomic | BundleFlags.Ordered), 20,
            "ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x14):\n bundle_id=0x1 type=OPEN_REQUEST flags=atomic ordered"),
        ("bundle_commit", new BundleControl(1, BundleControlType.CommitRequest, BundleFlags.Atomic | BundleFlags.Ordered), 21,
            "ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x15):\n bundle_id=0x1 type=COMMIT_REQUEST flags=atomic ordered"),
        ("bundle_discard", new BundleControl(1, BundleControlType.DiscardRequest), 22,
            "ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x16):\n bundle_id=0x1 type=DISCARD_REQUEST flags=0"),
        ("bundle_commit_reply", new BundleControl(1, BundleControlType.CommitReply), 21,
            "ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x15):\n bundle_id=0x1 type=COMMIT_REPLY flags=0"),
        ("bundle_add_flow", new BundleAdd(1, FlowMod.Add(PolicyFlow), BundleFlags.Atomic | BundleFlags.Ordered), 23,
            "ONFT_BUNDLE_ADD_MESSAGE (OF1.3) (xid=0x17):\n bundle_id=0x1 flags=atomic ordered\nOFPT_FLOW_MOD (OF1.3) (xid=0x17): ADD table:2 priority=100,ct_state=+new+trk,tcp,reg1=0x5,nw_dst=10.1.0.0/16,tp_dst=80 cookie:0x102030000000042 actions=ct(commit,table=3,zone=7)"),
        ("bundle_add_group", new BundleAdd(1, GroupMod.Add(new GroupEntry(7, GroupType.All, [new Bucket([new Output(1)])])), BundleFlags.Atomic | BundleFlags.Ordered), 24,
            "ONFT_BUNDLE_ADD_MESSAGE (OF1.3) (xid=0x18):\n bundle_id=0x1 flags=atomic ordered\nOFPT_GROUP_MOD (OF1.3) (xid=0x18):\n ADD group_id=7,type=all,bucket=actions=output:1"),
        ("error_bad_out_port", new ErrorMessage(2, 4, OpenFlowCodec.Encode(new BarrierRequest(), 0x99)), 25,
            "OFPT_ERROR (OF1.3) (xid=0x19): OFPBAC_BAD_OUT_PORT\nOFPT_BARRIER_REQUEST (OF1.3) (xid=0x99):"),
        ("error_bundle", new ErrorMessage(0xffff, 2313, OpenFlowCodec.Encode(new BarrierRequest(), 0x98), Ofp.OnfExperimenter), 26,
            "OFPT_ERROR (OF1.3) (xid=0x1a): OFPBFC_MSG_FAILED\nOFPT_BARRIER_REQUEST (OF1.3) (xid=0x98):"),
    ];
}
