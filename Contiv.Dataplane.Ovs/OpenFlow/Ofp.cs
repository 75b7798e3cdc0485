namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>OpenFlow 1.3 wire constants (openflow-1.3.h) and the extensions OVS implements.</summary>
public static class Ofp
{
    public const byte Version13 = 0x04;
    public const int HeaderLength = 8;
    public const int MaxMessageLength = ushort.MaxValue;

    public const uint NoBuffer = 0xffffffff;
    public const uint AnyGroup = 0xffffffff;
    public const byte AllTables = 0xff;
    public const ushort NoControllerMaxLen = 0xffff;

    public const uint NiciraExperimenter = 0x00002320;
    public const uint OnfExperimenter = 0x4f4e4600;
    public const uint OnfBundleControl = 2300;
    public const uint OnfBundleAddMessage = 2301;

    /// <summary>The highest message type OpenFlow 1.3 defines (OFPT_METER_MOD).</summary>
    public const byte LastMessageType = 29;
}

public enum MessageType : byte
{
    Hello = 0,
    Error = 1,
    EchoRequest = 2,
    EchoReply = 3,
    Experimenter = 4,
    FeaturesRequest = 5,
    FeaturesReply = 6,
    PacketIn = 10,
    FlowRemoved = 11,
    PortStatus = 12,
    FlowMod = 14,
    GroupMod = 15,
    MultipartRequest = 18,
    MultipartReply = 19,
    BarrierRequest = 20,
    BarrierReply = 21,
}

public enum MultipartType : ushort
{
    Flow = 1,
    GroupDesc = 7,
    PortDesc = 13,
}

public enum FlowModCommand : byte
{
    Add = 0,
    Modify = 1,
    ModifyStrict = 2,
    Delete = 3,
    DeleteStrict = 4,
}

[Flags]
public enum FlowModFlags : ushort
{
    None = 0,
    SendFlowRemoved = 1,
    CheckOverlap = 2,
    ResetCounts = 4,
    NoPacketCounts = 8,
    NoByteCounts = 16,
}

public enum GroupModCommand : ushort
{
    Add = 0,
    Modify = 1,
    Delete = 2,
}

public enum BundleControlType : ushort
{
    OpenRequest = 0,
    OpenReply = 1,
    CloseRequest = 2,
    CloseReply = 3,
    CommitRequest = 4,
    CommitReply = 5,
    DiscardRequest = 6,
    DiscardReply = 7,
}

[Flags]
public enum BundleFlags : ushort
{
    None = 0,
    Atomic = 1,
    Ordered = 2,
}

internal static class InstructionType
{
    public const ushort GotoTable = 1;
    public const ushort WriteMetadata = 2;
    public const ushort WriteActions = 3;
    public const ushort ApplyActions = 4;
    public const ushort ClearActions = 5;
}

internal static class ActionType
{
    public const ushort Output = 0;
    public const ushort PushVlan = 17;
    public const ushort PopVlan = 18;
    public const ushort Group = 22;
    public const ushort SetField = 25;
    public const ushort Experimenter = 0xffff;
}

internal static class NiciraSubtype
{
    public const ushort RegMove = 6;
    public const ushort Conntrack = 35;
    public const ushort Nat = 36;
}
