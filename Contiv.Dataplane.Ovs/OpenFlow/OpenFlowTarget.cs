using System.Net;
using System.Net.Sockets;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>Where a switch listens: <c>tcp:HOST:PORT</c> or <c>unix:/path</c> (ovs-vsctl spelling).</summary>
public sealed record OpenFlowTarget(EndPoint EndPoint, string Text)
{
    public static OpenFlowTarget Parse(string target)
    {
        if (target.StartsWith("unix:", StringComparison.Ordinal))
            return new(new UnixDomainSocketEndPoint(target["unix:".Length..]), target);
        if (target.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var rest = target["tcp:".Length..];
            var colon = rest.LastIndexOf(':');
            if (colon > 0 && IPAddress.TryParse(rest[..colon].Trim('[', ']'), out var address)
                && ushort.TryParse(rest[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
                return new(new IPEndPoint(address, port), target);
        }
        throw new ArgumentException($"'{target}' is not tcp:ADDRESS:PORT or unix:PATH", nameof(target));
    }

    public Socket CreateSocket() => EndPoint is UnixDomainSocketEndPoint
        ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        : new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
}
