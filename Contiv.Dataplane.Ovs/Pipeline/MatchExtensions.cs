using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>Small builders the pipeline needs on top of <see cref="Match"/> and <see cref="Instructions"/>.</summary>
public static class MatchExtensions
{
    public static Match ArpSha(this Match match, MacAddress mac) => match.Arp().With(Field.ArpSha, mac.Value);
    public static Match EthSrc(this Match match, MacAddress mac) => match.EthSrc(mac.Value);
    public static Match Ipv4Src(this Match match, Ipv4Prefix prefix) => match.Ipv4Src(prefix.Address.Value, prefix.Length);
    public static Match Ipv4Dst(this Match match, Ipv4Prefix prefix) => match.Ipv4Dst(prefix.Address.Value, prefix.Length);

    /// <summary>reg[index] has all of <paramref name="bits"/> set.</summary>
    public static Match RegBitsSet(this Match match, int register, uint bits) => match.Reg(register, bits, bits);

    /// <summary>reg[index] has none of <paramref name="bits"/> set.</summary>
    public static Match RegBitsClear(this Match match, int register, uint bits) => match.Reg(register, 0, bits);

    public static Match CtStateSet(this Match match, CtStateBits bits) => match.CtState(bits, bits);
}
