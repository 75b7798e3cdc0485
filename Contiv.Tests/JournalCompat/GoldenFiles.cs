using Akka.Actor;
using Akka.Configuration;
using Contiv.Messages.Serialization;
using Contiv.Tests.Unit.Support;

namespace Contiv.Tests.JournalCompat;

/// <summary>
/// Where the frozen files live (in the source tree, read through the repository root so a test never
/// reads a stale copy) and which manifests must have one: every persisted type, since a wire message
/// is never stored and both sides of a wire run the same build.
/// </summary>
public static class GoldenFiles
{
    public static string Directory => Path.Combine(Contiv.Lab.LabPaths.RepositoryRoot(), "Contiv.Tests", "JournalCompat", "Golden");

    public static string Compat(string name) => Path.Combine(Directory, "compat", name);

    public static string PayloadPath(string directory, string manifest) => Path.Combine(directory, manifest + ".json");

    public static IReadOnlyList<KeyValuePair<Type, string>> PersistedManifests =>
    [
        .. ContivSerializer.Manifests.Where(m => typeof(IContivPersisted).IsAssignableFrom(m.Key)).OrderBy(m => m.Value, StringComparer.Ordinal),
    ];

    /// <summary>The serializer the master binds (master.hocon's serializers), on a local actor system the caller disposes.</summary>
    public static ActorSystem SerializationSystem() => ActorSystem.Create("golden",
        ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING").WithFallback(MasterHocon.Serialization));
}
