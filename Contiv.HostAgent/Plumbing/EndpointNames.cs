using System.Security.Cryptography;
using System.Text;

namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// Host-side names derived from the endpoint id alone, so an agent restarting after a crash finds
/// what it made before without any state of its own. Linux allows 15 characters; ours have 12.
/// </summary>
public static class EndpointNames
{
    /// <summary>The host end of an endpoint's veth pair, which is also its OVS port.</summary>
    public const string HostPrefix = "vc";

    /// <summary>The container end before it is renamed inside the namespace: a name of its own so it
    /// cannot clash with anything in the host namespace while it is still there.</summary>
    public const string PeerPrefix = "vp";

    private const int HashChars = 10;

    public static string HostInterface(string endpointId) => HostPrefix + Hash(endpointId);

    public static string TemporaryPeer(string endpointId) => PeerOf(HostInterface(endpointId));

    /// <summary>The temporary peer name that goes with a host interface name (an orphan's, say).</summary>
    public static string PeerOf(string hostInterface)
    {
        if (!IsHostInterface(hostInterface)) throw new ArgumentException($"{hostInterface} is not an endpoint's host interface name", nameof(hostInterface));
        return PeerPrefix + hostInterface[HostPrefix.Length..];
    }

    public static bool IsHostInterface(string name) =>
        name.Length == HostPrefix.Length + HashChars && name.StartsWith(HostPrefix, StringComparison.Ordinal)
        && IsLowerHex(name.AsSpan(HostPrefix.Length));

    private static string Hash(string endpointId)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpointId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpointId)))[..HashChars];
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        return true;
    }
}
