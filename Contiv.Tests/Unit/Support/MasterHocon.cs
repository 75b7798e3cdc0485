using Akka.Configuration;
using Contiv.Master.Hosting;

namespace Contiv.Tests.Unit.Support;

/// <summary>Sections of the master's own HOCON (embedded in contiv-master, cluster.hocon under it), so tests bind what production binds.</summary>
public static class MasterHocon
{
    private static readonly Lazy<Config> Master = new(MasterConfig.Embedded);

    public static Config Full => Master.Value;

    /// <summary>The subtree at <paramref name="path"/>, still rooted at the same path.</summary>
    public static Config Section(string path)
    {
        var keys = path.Split('.');
        var config = Full.GetValue(path)?.AtKey(keys[^1])
                     ?? throw new InvalidOperationException($"master.hocon has no {path}");
        for (var i = keys.Length - 2; i >= 0; i--) config = config.Root.AtKey(keys[i]);
        return config;
    }

    /// <summary>akka.actor.serializers and serialization-bindings: ContivSerializer bound to IContivPersisted and IContivWire.</summary>
    public static Config Serialization =>
        Section("akka.actor.serializers").WithFallback(Section("akka.actor.serialization-bindings"));

    /// <summary>akka.persistence of master.hocon on a SQLite file, with the plugin defaults behind it.</summary>
    public static Config PersistenceOn(string connectionString)
    {
        var escaped = connectionString.Replace("\\", "\\\\").Replace("\"", "\\\"");
        return ConfigurationFactory.ParseString($$"""
                akka.persistence.journal.sql.connection-string = "{{escaped}}"
                akka.persistence.snapshot-store.sql.connection-string = "{{escaped}}"
                """)
            .WithFallback(Section("akka.persistence"))
            .WithFallback(Serialization)
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }
}
