using System.Text.Json.Serialization;

namespace Contiv.Messages.Globals;

/// <summary>
/// The tags a network holds, as the original reported them: a vlan network's <see cref="PktTag"/> is its
/// VLAN; a vxlan network's <see cref="ExternalPktTag"/> is its VNI and <see cref="PktTag"/> the host-local VLAN.
/// </summary>
public sealed record NetworkTags(string Encap, int PktTag, int ExternalPktTag)
{
    [JsonIgnore] public bool IsVxlan => Encap == "vxlan";
    [JsonIgnore] public int? Vlan => IsVxlan ? null : PktTag;
    [JsonIgnore] public int? Vni => IsVxlan ? ExternalPktTag : null;
    [JsonIgnore] public int? LocalVlan => IsVxlan ? PktTag : null;
}
