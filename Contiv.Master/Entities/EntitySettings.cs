using Akka.Configuration;
using Contiv.Messages.Cluster;

namespace Contiv.Master.Entities;

/// <summary>Entity tunables from <c>contiv.master</c> in master.hocon.</summary>
/// <param name="PassivateRetry">how soon an absent entity asks again to stop when its shard was still remembering its start</param>
public sealed record EntitySettings(TimeSpan AskTimeout, int SnapshotEvery, string DefaultFwdMode, TimeSpan IdleTimeout, TimeSpan PassivateRetry)
{
    public static EntitySettings From(Config config, string fwdMode) => new(
        config.GetRequiredTimeSpan("contiv.master.entity-ask-timeout"),
        config.GetRequiredInt("contiv.master.snapshot-every"),
        fwdMode,
        config.GetRequiredTimeSpan("contiv.master.idle-entity-timeout"),
        config.GetRequiredTimeSpan("contiv.master.passivate-retry"));
}
