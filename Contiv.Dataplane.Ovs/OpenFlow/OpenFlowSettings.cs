namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>
/// Timing of an <see cref="OpenFlowConnection"/>. The dataplane reads it from <c>contiv.dataplane.openflow</c>
/// (hocon/dataplane.hocon, see <see cref="Apply.DataplaneSettings"/>); these defaults serve tools and tests.
/// </summary>
public sealed record OpenFlowSettings
{
    /// <summary>Connecting plus hello plus features must finish within this.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request (barrier, multipart, bundle control) may wait for its reply.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often we send an echo request while connected (zero: never).</summary>
    public TimeSpan EchoInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An echo request not answered within this closes the connection.</summary>
    public TimeSpan EchoTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes gathered before a write when many messages are sent at once (a bundle).</summary>
    public int WriteBatchBytes { get; init; } = 256 * 1024;
}
