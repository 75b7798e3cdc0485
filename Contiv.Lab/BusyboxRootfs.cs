namespace Contiv.Lab;

/// <summary>
/// A tarball of a minimal root: Debian's static busybox and a link per applet (sh, ip, ping, nc,
/// sleep...). No registry is reachable from the lab, so images are imported from this.
/// </summary>
public static class BusyboxRootfs
{
    private const string Busybox = "/bin/busybox";

    /// <summary>Writes the tarball under <paramref name="workDirectory"/> and returns its path.</summary>
    public static async Task<string> WriteTarAsync(string workDirectory)
    {
        if (!File.Exists(Busybox))
            throw new InvalidOperationException($"{Busybox} not found: the lab images need Debian's busybox-static (apt-get install busybox-static); .ci/run installs it");
        if (HasInterpreter(Busybox))
            throw new InvalidOperationException($"{Busybox} is dynamically linked (Debian's busybox) and cannot run in an empty image: apt-get install busybox-static");
        var rootfs = Path.Combine(workDirectory, "rootfs");
        foreach (var sub in new[] { "bin", "proc", "sys", "dev", "etc", "tmp" }) Directory.CreateDirectory(Path.Combine(rootfs, sub));
        File.Copy(Busybox, Path.Combine(rootfs, "bin", "busybox"));
        var (code, applets) = await LabCommands.Exec(TimeSpan.FromSeconds(10), Busybox, "--list");
        if (code != 0) throw new InvalidOperationException($"`{Busybox} --list` failed ({code}): {applets}");
        foreach (var applet in applets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(a => a != "busybox"))
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        var tar = Path.Combine(workDirectory, "busybox.tar");
        await LabCommands.Run("tar", "-C", rootfs, "-cf", tar, ".");
        Directory.Delete(rootfs, recursive: true);
        return tar;
    }

    /// <summary>True when the ELF binary names a program interpreter (a PT_INTERP header): it needs a libc in the image.</summary>
    private static bool HasInterpreter(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        reader.BaseStream.Position = 0x20;
        var phoff = reader.ReadInt64();
        reader.BaseStream.Position = 0x36;
        var phentsize = reader.ReadUInt16();
        var phnum = reader.ReadUInt16();
        for (var i = 0; i < phnum; i++)
        {
            reader.BaseStream.Position = phoff + i * phentsize;
            if (reader.ReadUInt32() == 3) return true;
        }
        return false;
    }
}
