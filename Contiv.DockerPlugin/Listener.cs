using System.Net.Sockets;

namespace Contiv.DockerPlugin;

/// <summary>The unix socket dockerd connects to.</summary>
internal static class Listener
{
    /// <summary>Creates the socket's directory, removes a stale socket file left by an earlier run, binds and listens.</summary>
    public static Socket Bind(string path)
    {
        var endpoint = new UnixDomainSocketEndPoint(path); // throws on a path too long for sun_path
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        Remove(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(128);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static void Remove(string path)
    {
        // File.Delete removes a socket file too; a directory of that name is left for Bind to refuse.
        if (File.Exists(path)) File.Delete(path);
    }
}
