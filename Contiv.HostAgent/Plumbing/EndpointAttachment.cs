using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// What one endpoint needs on this host: an interface <see cref="InterfaceName"/> inside the container's
/// network namespace at <see cref="NetnsPath"/> (a bind mount such as <c>/var/run/netns/x</c> or a
/// process's <c>/proc/&lt;pid&gt;/ns/net</c>) with this address, MAC, MTU and default route, whose
/// peer is the OVS port <see cref="HostInterface"/>. Without a namespace (Docker) the container end is
/// left in the host namespace as <see cref="TemporaryPeer"/>, with its MAC and MTU, for the runtime to
/// move, name and address itself.
/// </summary>
public sealed partial record EndpointAttachment(
    string EndpointId,
    string ContainerId,
    string? NetnsPath,
    IPAddress Ipv4,
    int PrefixLength,
    string Mac,
    int Mtu,
    IPAddress? Gateway = null,
    string InterfaceName = "eth0")
{
    public string HostInterface => EndpointNames.HostInterface(EndpointId);

    public string TemporaryPeer => EndpointNames.TemporaryPeer(EndpointId);

    public string Cidr => $"{Ipv4}/{PrefixLength}";

    /// <summary>The runtime moves the container end itself (Docker's Join names it and docker does the rest).</summary>
    public bool LeftForRuntime => NetnsPath is null;

    /// <summary>Rejects what the kernel would reject later, half-way through an attach.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(EndpointId);
        ArgumentException.ThrowIfNullOrEmpty(ContainerId);
        if (NetnsPath is not null && !Path.IsPathFullyQualified(NetnsPath))
            throw new ArgumentException($"the network namespace path must be absolute: {NetnsPath}", nameof(NetnsPath));
        if (Ipv4.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"{Ipv4} is not an IPv4 address", nameof(Ipv4));
        if (PrefixLength is < 1 or > 32)
            throw new ArgumentOutOfRangeException(nameof(PrefixLength), PrefixLength, "an IPv4 prefix length is 1..32");
        if (!MacPattern().IsMatch(Mac))
            throw new ArgumentException($"{Mac} is not a MAC address like 02:02:0a:01:00:02", nameof(Mac));
        if (Mtu is < 68 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Mtu), Mtu, "an MTU is 68..65535");
        if (Gateway is not null && Gateway.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"{Gateway} is not an IPv4 address", nameof(Gateway));
        if (!InterfaceNamePattern().IsMatch(InterfaceName))
            throw new ArgumentException($"{InterfaceName} is not a valid interface name (1-15 characters, no '/', ':' or space)", nameof(InterfaceName));
    }

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacPattern();

    [GeneratedRegex(@"^[^/:\s]{1,15}$")]
    private static partial Regex InterfaceNamePattern();
}
