using Contiv.Dataplane.Ovs.Apply;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>
/// Timing of an <see cref="OpenFlowConnection"/>, read from <c>contiv.dataplane.openflow</c>
/// (hocon/dataplane.hocon, see <see cref="DataplaneSettings"/>). The values live only there, so a tool
/// or test that takes <see cref="Default"/> gets what an agent gets.
/// </summary>
public sealed record OpenFlowSettings
{
    /// <summary>dataplane.hocon's values, for callers that have no config of their own.</summary>
    public static OpenFlowSettings Default { get; } = DataplaneSettings.From(Akka.Configuration.Config.Empty).OpenFlow;

    /// <summary>Connecting plus hello plus features must finish within this.</summary>
    public required TimeSpan ConnectTimeout { get; init; }

    /// <summary>How long a request (barrier, multipart, bundle control) may wait for its reply.</summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>How often we send an echo request while connected (zero: never).</summary>
    public required TimeSpan EchoInterval { get; init; }

    /// <summary>An echo request not answered within this closes the connection.</summary>
    public required TimeSpan EchoTimeout { get; init; }

    /// <summary>Bytes gathered before a write when many messages are sent at once (a bundle).</summary>
    public required int WriteBatchBytes { get; init; }
}
