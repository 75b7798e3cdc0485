using System.Collections.Immutable;

namespace Contiv.HostAgent.Translation;

/// <summary>
/// Numbers for names the dataplane needs as integers (groups, policies, rules). Numbers only ever get
/// added, so an object keeps its number while the agent runs; they are local to the agent and live
/// only in registers and cookies, which a restart replaces wholesale (the conntrack zone, which must
/// survive a restart, is the tenant's number from the masters instead).
/// </summary>
public sealed record IdTable(ImmutableDictionary<string, uint> Numbers, uint Next)
{
    public static readonly IdTable Empty = new(ImmutableDictionary<string, uint>.Empty.WithComparers(StringComparer.Ordinal), 1);

    public (uint Id, IdTable Table) Get(string name) =>
        Numbers.TryGetValue(name, out var id) ? (id, this) : (Next, new IdTable(Numbers.Add(name, Next), Next + 1));
}
