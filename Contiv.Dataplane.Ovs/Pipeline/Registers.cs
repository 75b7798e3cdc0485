using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// The register conventions of the pipeline — the one place they are written down. Registers
/// survive ct() recirculation, so values set before conntrack are still there after it.
/// Metadata is not used.
///
/// <list type="table">
/// <item><term>reg0</term><description>source endpoint group (0 = none/unknown); set by Classification (local port) or SourceLookup (tunnel/uplink)</description></item>
/// <item><term>reg1</term><description>destination endpoint group (0 = none/unknown); set by DestinationLookup</description></item>
/// <item><term>reg2</term><description>VRF (tenant) number; set by Classification; also the conntrack zone</description></item>
/// <item><term>reg3</term><description>source network id; set by Classification, corrected by SourceLookup for a remote source (in routing mode a packet arrives in its destination's segment)</description></item>
/// <item><term>reg4</term><description>origin flags: <see cref="FromLocalPort"/>, <see cref="FromTunnel"/>, <see cref="FromUplink"/>; set by Classification</description></item>
/// <item><term>reg5</term><description>destination network id; set by DestinationLookup</description></item>
/// <item><term>reg6</term><description>destination locality: <see cref="DestinationLocal"/>, <see cref="DestinationRemote"/>, <see cref="DestinationExternal"/>; set by DestinationLookup</description></item>
/// </list>
/// </summary>
public static class Registers
{
    public const int SourceGroup = 0;
    public const int DestinationGroup = 1;
    public const int Vrf = 2;
    public const int SourceNetwork = 3;
    public const int Origin = 4;
    public const int DestinationNetwork = 5;
    public const int Destination = 6;

    // reg4 (origin) bits
    public const uint FromLocalPort = 0x1;
    public const uint FromTunnel = 0x2;
    public const uint FromUplink = 0x4;

    // reg6 (destination locality) bits
    public const uint DestinationLocal = 0x1;
    public const uint DestinationRemote = 0x2;
    public const uint DestinationExternal = 0x4;

    public static Field Field(int register) => FieldInfo.Register(register);

    public static SetField Set(int register, uint value) => new(FieldInfo.Register(register), value);
}
