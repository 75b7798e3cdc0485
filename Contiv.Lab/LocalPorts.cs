using System.Net;
using System.Net.Sockets;

namespace Contiv.Lab;

public static class LocalPorts
{
    /// <summary>A loopback TCP port that was free a moment ago (the kernel picked it).</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
