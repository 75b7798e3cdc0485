using System.Globalization;
using Contiv.Dataplane.Ovs.Flows;

namespace Contiv.Bench.Dataplane;

/// <summary>
/// N distinct flows of the shape the destination-group table holds (register + IP destination →
/// load a register, go on), both as our <see cref="Flow"/> records and as ovs-ofctl text, so the
/// same flows can be installed by either tool and the resulting tables compared.
/// </summary>
public static class SyntheticFlows
{
    private const byte Table = 10;
    private const byte NextTable = 20;
    private const ushort Priority = 100;
    private const ulong Cookie = 0x0100_0000_0000_0001UL;

    public static IReadOnlyList<Flow> Ours(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Flow(Table, Priority,
            Match.Any.Reg(6, Group(i)).Ipv4Dst(Address(i)),
            Instructions.Actions(new SetField(FieldInfo.Register(7), Group(i) + 100)).Then(NextTable),
            Cookie))];

    public static IEnumerable<string> OfctlLines(int count) =>
        Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"cookie=0x{Cookie:x},table={Table},priority={Priority},ip,reg6={Group(i)},nw_dst={Dotted(Address(i))},actions=set_field:{Group(i) + 100}->reg7,goto_table:{NextTable}"));

    private static uint Group(int i) => (uint)(i % 20) + 1;

    private static uint Address(int i) => 0x0A00_0002u + (uint)i;

    private static string Dotted(uint a) => $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}";
}
