using Xunit;

namespace Contiv.Tests.Ovs;

/// <summary>
/// Tests that run an ovs-vswitchd. Each userspace datapath creates a tap device named
/// <c>ovs-netdev</c> in the network namespace it runs in, so two sandboxes in one namespace clash:
/// these tests run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OvsCollection
{
    public const string Name = "ovs";
}
