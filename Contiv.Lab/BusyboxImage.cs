using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;

namespace Contiv.Lab;

/// <summary>
/// A docker-save style image archive (manifest.json, the image config, one layer) holding the busybox root of
/// <see cref="BusyboxRootfs"/>, for runtimes that import images (<c>ctr images import</c>) rather than take a
/// bare rootfs: no registry is reachable from the lab.
/// </summary>
public static class BusyboxImage
{
    /// <summary>Writes the archive under <paramref name="workDirectory"/> and returns its path.</summary>
    /// <param name="tag">its repository tag, e.g. <c>contiv-busybox:lab</c> (docker.io/library/ once imported)</param>
    /// <param name="command">the image's Cmd: what a container (or a CRI sandbox, as its pause process) runs</param>
    public static async Task<string> WriteArchiveAsync(string workDirectory, string tag, IReadOnlyList<string> command)
    {
        var layer = await BusyboxRootfs.WriteTarAsync(workDirectory);
        string diffId;
        await using (var stream = File.OpenRead(layer)) diffId = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            config = new { Cmd = command, Env = new[] { "PATH=/bin" }, WorkingDir = "/" },
            rootfs = new { type = "layers", diff_ids = new[] { diffId } },
        });
        var configName = Convert.ToHexStringLower(SHA256.HashData(config)) + ".json";
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[] { new { Config = configName, RepoTags = new[] { tag }, Layers = new[] { "layer.tar" } } });

        var archive = Path.Combine(workDirectory, "busybox-image.tar");
        await using (var output = File.Create(archive))
        await using (var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: false))
        {
            await tar.WriteEntryAsync(Entry("manifest.json", manifest));
            await tar.WriteEntryAsync(Entry(configName, config));
            await tar.WriteEntryAsync(layer, "layer.tar");
        }
        File.Delete(layer);
        return archive;
    }

    private static UstarTarEntry Entry(string name, byte[] content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead };
}
