using Xunit;

namespace Contiv.Tests.Docker;

/// <summary>
/// Tests that run a private dockerd (<see cref="Contiv.Lab.DockerSandbox"/>). Each daemon starts its
/// own containerd and containers, heavy on a small machine and slow to start under load: these tests
/// run one at a time. Selected with <c>--filter Category=Docker</c>; a missing docker.io or
/// busybox-static fails them, never skips them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection
{
    public const string Name = "docker";
}
