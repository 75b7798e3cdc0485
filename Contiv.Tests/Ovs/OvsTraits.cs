namespace Contiv.Tests.Ovs;

/// <summary>
/// xunit traits for tests that need a real Open vSwitch or network namespaces:
/// <c>[Trait(OvsTraits.Category, OvsTraits.Ovs)]</c>, selected with <c>--filter Category=Ovs</c>.
/// They must run in CI, never skip: a missing binary fails them (see <see cref="Contiv.Lab.OvsSandbox"/>).
/// </summary>
public static class OvsTraits
{
    public const string Category = "Category";
    public const string Ovs = "Ovs";
    public const string Netns = "Netns";
}
