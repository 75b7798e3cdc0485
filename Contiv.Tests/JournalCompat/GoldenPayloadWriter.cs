using Contiv.Messages.Serialization;
using Contiv.Tests.Unit.Serialization;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// Writes Golden/&lt;manifest&gt;.json: the bytes ToBinary gives for each persisted sample. Run once per new
/// persisted type (see README.md), never to refresh an existing file: an existing file is what an old build wrote.
/// </summary>
public static class GoldenPayloadWriter
{
    public static int Write(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var system = GoldenFiles.SerializationSystem();
        var written = 0;
        foreach (var (type, manifest) in GoldenFiles.PersistedManifests)
        {
            var path = GoldenFiles.PayloadPath(directory, manifest);
            if (File.Exists(path)) continue; // frozen: only missing files are added
            var sample = PersistedSamples.For(type);
            var serializer = (ContivSerializer)system.Serialization.FindSerializerFor(sample);
            File.WriteAllBytes(path, serializer.ToBinary(sample));
            Console.WriteLine($"wrote {path}");
            written++;
        }
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        return written;
    }
}
