using Contiv.Dataplane.Ovs.Flows;
using static Contiv.Dataplane.Ovs.Pipeline.PipelineTables;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// Tables 40, 41 and 70: every IP packet is tracked in its VRF's zone (ct() takes a constant zone,
/// hence one flow per VRF); replies and related traffic of admitted connections pass without
/// meeting the rules again, so a rule change affects new connections only.
/// </summary>
internal static class ConntrackFlows
{
    public const ushort VrfPriority = 100;
    public const ushort InvalidPriority = 300;
    public const ushort EstablishedPriority = 200;
    public const ushort RelatedPriority = 190;
    public const ushort NewPriority = 100;

    public static IEnumerable<Flow> Build(CompileContext c)
    {
        foreach (var vrf in c.Vrfs)
        {
            var inVrf = Match.Any.Ip().Reg(Registers.Vrf, vrf);
            yield return new Flow(ConntrackEnter.Id, VrfPriority, inVrf,
                Instructions.Actions(new Ct(Commit: false, Zone: (ushort)vrf, RecirculateTable: ConntrackState.Id)),
                c.Cookies.Vrf(vrf));
            yield return new Flow(Commit.Id, VrfPriority, inVrf,
                Instructions.Actions(new Ct(Commit: true, Zone: (ushort)vrf)).Then(Forwarding.Id),
                c.Cookies.Vrf(vrf));
        }
    }

    public static IEnumerable<Flow> Fixed(Cookies cookies)
    {
        var cookie = cookies.Table(ConntrackState);
        yield return new Flow(ConntrackState.Id, InvalidPriority,
            Match.Any.CtStateSet(CtStateBits.Tracked | CtStateBits.Invalid), Instructions.Drop, cookie);
        yield return new Flow(ConntrackState.Id, EstablishedPriority,
            Match.Any.CtStateSet(CtStateBits.Tracked | CtStateBits.Established), Instructions.Goto(Forwarding.Id), cookie);
        yield return new Flow(ConntrackState.Id, RelatedPriority,
            Match.Any.CtStateSet(CtStateBits.Tracked | CtStateBits.Related), Instructions.Goto(Forwarding.Id), cookie);
        yield return new Flow(ConntrackState.Id, NewPriority,
            Match.Any.CtStateSet(CtStateBits.Tracked | CtStateBits.New), Instructions.Goto(EgressPolicy.Id), cookie);
    }
}
