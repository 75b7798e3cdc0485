using Akka.Cluster.Sharding;
using Contiv.Messages.Cluster;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Sharding;
using Contiv.Tests.Unit.Support;
using Xunit;

namespace Contiv.Tests.Unit.Endpoints;

/// <summary>
/// Endpoints are remembered per shard in the journal: moving them to <see cref="ShardEnvelope"/> routing must
/// give every endpoint id the shard it always had, or a running cluster would start its endpoints twice.
/// </summary>
public sealed class EndpointShardingTests
{
    /// <summary>How endpoint commands were routed before: a hash extractor of 100 shards keyed by the command's EndpointId.</summary>
    private sealed class FormerEndpointRouting() : HashCodeMessageExtractor(100)
    {
        public override string? EntityId(object message) => (message as IEndpointCommand)?.EndpointId;
    }

    [Fact]
    public void Every_endpoint_id_keeps_its_shard()
    {
        Assert.Equal(100, ClusterHocon.EndpointShards(MasterHocon.Full));
        var routing = new EnvelopeExtractor(ClusterHocon.EndpointShards(MasterHocon.Full));
        var former = new FormerEndpointRouting();
        var ids = Enumerable.Range(0, 2000).Select(i => $"ep-{i}")
            .Concat(["", "a", "default:web:0123456789abcdef", "ünïcode", new string('x', 300)]);
        foreach (var id in ids)
        {
            IEndpointCommand[] commands = [new GetEndpoint(id), new RemoveEndpoint(id)];
            foreach (var command in commands)
            {
                Assert.Equal(ShardOf(former, command), ShardOf(routing, command.Addressed()));
                Assert.Equal(former.EntityId(command), routing.EntityId(command.Addressed()));
                Assert.Same(command, routing.EntityMessage(command.Addressed()));
            }
            // Remembered entities are restarted by id alone.
            Assert.Equal(former.ShardId(id, new ShardRegion.StartEntity(id)), routing.ShardId(id, new ShardRegion.StartEntity(id)));
        }
    }

    /// <summary>As a shard region routes a message: its entity id, then that id's shard.</summary>
    private static string ShardOf(IMessageExtractor extractor, object message) =>
        extractor.ShardId(extractor.EntityId(message) ?? throw new InvalidOperationException($"no entity id in {message}"), message);
}
