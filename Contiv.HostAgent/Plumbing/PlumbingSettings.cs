namespace Contiv.HostAgent.Plumbing;

/// <summary>Bounds for the plumbing of one endpoint.</summary>
public sealed record PlumbingSettings
{
    /// <summary>For each ip/nsenter/ethtool run: a hung tool must not wedge the endpoint actor.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long ovs-vswitchd may take to act on a port change: to give a new port its OpenFlow
    /// number, or to drop a removed one.</summary>
    public TimeSpan VswitchdTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public static PlumbingSettings Default { get; } = new();
}
