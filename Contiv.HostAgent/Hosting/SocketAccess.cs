using System.Globalization;
using System.Runtime.InteropServices;

namespace Contiv.HostAgent.Hosting;

/// <summary>
/// Who may talk to the agent's unix sockets (local API, Docker driver): whoever can attach containers can put them on
/// any network of any tenant, so only the agent's user (root) and one group may. Mode 0660, the group from
/// <c>contiv.agent.socket-group</c> (empty: the agent's own group).
/// </summary>
public static class SocketAccess
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public static void Restrict(string path, string group)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the agent's sockets are Linux unix sockets");
        File.SetUnixFileMode(path, Mode);
        if (group.Length == 0) return;
        var gid = GroupId(group) ?? throw new InvalidOperationException(
            $"contiv.agent.socket-group = {group}: no such group in /etc/group (give a group name or a numeric gid)");
        if (Chown(path, -1, gid) != 0)
            throw new IOException($"cannot give {path} to group {group} ({gid}): errno {Marshal.GetLastWin32Error()}");
    }

    /// <summary>A numeric gid, or the gid of a name in /etc/group.</summary>
    public static int? GroupId(string group)
    {
        if (int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric)) return numeric;
        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)) return gid;
        }
        return null;
    }

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
}
