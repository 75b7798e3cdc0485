using System.Runtime.InteropServices;

namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// Tells a network namespace file (/var/run/netns/x, /proc/PID/ns/net) from any other file by asking
/// the kernel (ioctl NS_GET_NSTYPE, Linux 4.11+), in process: a path the runtime got wrong is refused
/// with a clear reason before anything is made, without starting a process to find out.
/// </summary>
internal static class NamespaceFile
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;
    private const ulong NsGetNsType = 0xb703;
    private const int CloneNewNet = 0x40000000;
    private const int NotTty = 25; // ENOTTY: the file takes no namespace ioctls, so it is no namespace

    /// <summary>Null for a network namespace; otherwise what it is instead, or why it cannot be told.</summary>
    public static string? NetworkNamespaceProblem(string path)
    {
        var fd = Open(path, ReadOnly | CloseOnExec);
        if (fd < 0) return $"cannot open it ({Marshal.GetLastPInvokeErrorMessage()})";
        try
        {
            var type = Ioctl(fd, NsGetNsType, 0);
            if (type == CloneNewNet) return null;
            if (type >= 0) return $"it is a namespace of another kind (type 0x{type:x})";
            return Marshal.GetLastPInvokeError() == NotTty ? "it is an ordinary file" : $"the kernel cannot tell ({Marshal.GetLastPInvokeErrorMessage()})";
        }
        finally
        {
            Close(fd);
        }
    }

    // DllImport, not LibraryImport: that one needs unsafe code allowed for the whole agent.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, ulong request, nint argument);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
