using Xunit;

namespace Contiv.Tests.ClusterTests;

/// <summary>Tests that run three real masters on PostgreSQL (and kill, cut or restart them) run alone: they compete for the two cores otherwise.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MastersCollection
{
    public const string Name = "Masters (three master processes on PostgreSQL)";
}
