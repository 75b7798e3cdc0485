namespace Contiv.Dataplane.Ovs.Ovsdb;

/// <summary>
/// The desired state of a bridge. <see cref="Controllers"/> are OVS connection targets, e.g.
/// <c>ptcp:6653:127.0.0.1</c> (vswitchd listens for our OpenFlow client) or <c>punix:/run/x/br.sock</c>.
/// <see cref="ExternalIds"/> and <see cref="OtherConfig"/>: null leaves the column as it is, a map makes
/// it exactly that map.
/// </summary>
public sealed record OvsBridgeSpec(
    string Name,
    string DatapathType,
    IReadOnlyList<string> Controllers,
    IReadOnlyList<string>? Protocols = null,
    string? FailMode = "secure",
    IReadOnlyDictionary<string, string>? ExternalIds = null,
    IReadOnlyDictionary<string, string>? OtherConfig = null)
{
    public IReadOnlyList<string> EffectiveProtocols => Protocols ?? ["OpenFlow13"];
}

public enum OvsPortType
{
    /// <summary>An existing network device (e.g. the host end of a veth); OVSDB type "".</summary>
    System,
    Internal,
    Vxlan,
    Patch,
}

/// <summary>
/// The desired state of a port with one interface of the same name. <see cref="Options"/> is the
/// interface's options column exactly (null = none); <see cref="ExternalIds"/> is the interface's
/// external_ids (null leaves it as it is); <see cref="OfPortRequest"/> asks vswitchd for that OpenFlow port.
/// </summary>
public sealed record OvsPortSpec(
    string Name,
    OvsPortType Type = OvsPortType.System,
    IReadOnlyDictionary<string, string>? Options = null,
    int? OfPortRequest = null,
    IReadOnlyDictionary<string, string>? ExternalIds = null)
{
    public static OvsPortSpec System(string name, int? ofPortRequest = null, IReadOnlyDictionary<string, string>? externalIds = null) =>
        new(name, OvsPortType.System, null, ofPortRequest, externalIds);

    public static OvsPortSpec Internal(string name, int? ofPortRequest = null, IReadOnlyDictionary<string, string>? externalIds = null) =>
        new(name, OvsPortType.Internal, null, ofPortRequest, externalIds);

    /// <summary>A VXLAN tunnel port; "flow" for <paramref name="key"/>/<paramref name="remoteIp"/> lets flows set
    /// the VNI (tun_id) and the remote VTEP (tun_dst) per packet.</summary>
    public static OvsPortSpec Vxlan(string name, string remoteIp = "flow", string key = "flow", string? localIp = null,
        int? ofPortRequest = null, IReadOnlyDictionary<string, string>? externalIds = null, int? dstPort = null)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal) { ["key"] = key, ["remote_ip"] = remoteIp };
        if (localIp is not null) options["local_ip"] = localIp;
        if (dstPort is not null) options["dst_port"] = dstPort.Value.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
        return new(name, OvsPortType.Vxlan, options, ofPortRequest, externalIds);
    }

    public static OvsPortSpec PatchTo(string name, string peer, int? ofPortRequest = null) =>
        new(name, OvsPortType.Patch, new Dictionary<string, string> { ["peer"] = peer }, ofPortRequest);

    internal string OvsdbType => Type switch
    {
        OvsPortType.System => "",
        OvsPortType.Internal => "internal",
        OvsPortType.Vxlan => "vxlan",
        OvsPortType.Patch => "patch",
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, null),
    };
}

/// <summary>Outcome of an Ensure: the row's uuid and whether anything had to be written.</summary>
public sealed record OvsEnsureResult(Guid Uuid, bool Changed);

public sealed record OvsBridgeInfo(
    Guid Uuid,
    string Name,
    string DatapathType,
    IReadOnlyList<string> Protocols,
    string? FailMode,
    IReadOnlyList<string> Controllers,
    IReadOnlyDictionary<string, string> ExternalIds,
    IReadOnlyDictionary<string, string> OtherConfig);

/// <summary>A port as the database has it. <see cref="Type"/> is the OVSDB interface type ("" = system).
/// <see cref="OfPort"/> is null until vswitchd assigned one (-1 if it failed; see <see cref="Error"/>).</summary>
public sealed record OvsPortInfo(
    Guid PortUuid,
    Guid InterfaceUuid,
    string Name,
    string Type,
    long? OfPort,
    long? OfPortRequest,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, string> ExternalIds,
    string? Error);
