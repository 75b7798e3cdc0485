using Akka.Configuration;

namespace Contiv.Master.Entities;

/// <summary>Entity tunables from <c>contiv.master</c> in master.hocon.</summary>
public sealed record EntitySettings(TimeSpan AskTimeout, int SnapshotEvery, string DefaultFwdMode, TimeSpan IdleTimeout)
{
    public static EntitySettings From(Config config, string fwdMode) => new(
        config.GetTimeSpan("contiv.master.entity-ask-timeout", TimeSpan.FromSeconds(10)),
        config.GetInt("contiv.master.snapshot-every", 200),
        fwdMode,
        config.GetTimeSpan("contiv.master.idle-entity-timeout", TimeSpan.FromSeconds(60)));
}
