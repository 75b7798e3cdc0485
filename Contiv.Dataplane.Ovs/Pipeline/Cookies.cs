using Contiv.Dataplane.Ovs.Flows;
using Contiv.Dataplane.Ovs.HostModel;

namespace Contiv.Dataplane.Ovs.Pipeline;

/// <summary>
/// The cookie of every compiled flow: the round, and the owner it exists for. Owner ids:
/// <list type="bullet">
/// <item>Pipeline — the table id for a table's fixed flows (its miss flow included); <see cref="VrfOwnerBase"/> | VRF for a VRF's conntrack flows</item>
/// <item>Network — the network id (tunnel/uplink classification, gateway ARP, flooding, external VLAN traffic)</item>
/// <item>LocalEndpoint / RemoteEndpoint — <see cref="FlowCookie.IdOf"/> of the endpoint id</item>
/// <item>Rule — policy id &lt;&lt; 32 | rule id (policy ids below 65536)</item>
/// </list>
/// </summary>
public readonly record struct Cookies(byte Round)
{
    public const ulong VrfOwnerBase = 1UL << 32;

    public ulong Table(TableDescriptor table) => new FlowCookie(Round, OwnerKind.Pipeline, table.Id).Value;
    public ulong Vrf(uint vrf) => new FlowCookie(Round, OwnerKind.Pipeline, VrfOwnerBase | vrf).Value;
    public ulong Network(uint networkId) => new FlowCookie(Round, OwnerKind.Network, networkId).Value;
    public ulong Local(LocalEndpoint endpoint) => new FlowCookie(Round, OwnerKind.LocalEndpoint, FlowCookie.IdOf(endpoint.Id)).Value;
    public ulong Remote(RemoteEndpoint endpoint) => new FlowCookie(Round, OwnerKind.RemoteEndpoint, FlowCookie.IdOf(endpoint.Id)).Value;
    public ulong Rule(uint policyId, uint ruleId) => new FlowCookie(Round, OwnerKind.Rule, RuleOwnerId(policyId, ruleId)).Value;

    public static ulong RuleOwnerId(uint policyId, uint ruleId) => ((ulong)(policyId & 0xFFFF) << 32) | ruleId;
}
