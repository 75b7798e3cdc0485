using System.Net.Sockets;
using Contiv.HostAgent.Hosting;
using Xunit;

namespace Contiv.Tests.Auth;

/// <summary>The agent's socket rule on a real unix socket: mode 0660 and the configured group.</summary>
[Trait("Category", "Auth")]
public sealed class SocketAccessTests
{
    [Fact]
    public void A_socket_becomes_0660_and_is_given_to_the_named_group_and_an_unknown_group_is_refused_by_name()
    {
        Assert.True(OperatingSystem.IsLinux(), "the agent's sockets are Linux unix sockets");
        var dir = Directory.CreateTempSubdirectory("contiv-socket-").FullName;
        var path = Path.Combine(dir, "agent.sock");
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            var group = File.ReadLines("/etc/group").Select(l => l.Split(':')).First(f => f[0] is "nogroup" or "daemon" or "users");
            SocketAccess.Restrict(path, group[0]);
            if (OperatingSystem.IsLinux()) Assert.Equal(SocketAccess.Mode, File.GetUnixFileMode(path));
            Assert.Equal(group[2], Stat("%g", path));
            SocketAccess.Restrict(path, "0");
            Assert.Equal("0", Stat("%g", path));
            var refused = Assert.Throws<InvalidOperationException>(() => SocketAccess.Restrict(path, "no-such-group-here"));
            Assert.Contains("socket-group = no-such-group-here", refused.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Stat(string format, string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return output;
    }
}
