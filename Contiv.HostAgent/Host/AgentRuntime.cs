using Akka.Actor;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.HostAgent.Plumbing;

namespace Contiv.HostAgent.Host;

/// <summary>Everything the host agent actor works with, made once at start-up.</summary>
public sealed record AgentRuntime(
    string Host,
    Ipv4 VtepIp,
    string? Uplink,
    uint? UplinkPort,
    string NodeAddress,
    IActorRef Feed,
    IActorRef Masters,
    EndpointPlumber Plumber,
    TunnelPorts Tunnels,
    SwitchConnector Switch,
    DataplaneSettings Dataplane,
    TimeSpan MasterTimeout,
    TimeSpan FlowsTimeout,
    TimeSpan ResubscribeAfter,
    TimeSpan SilenceTimeout,
    int EndpointMtu,
    IActorRef? DockerPools = null)
{
    /// <summary>The pools, when this agent serves Docker's IPAM (its start-up then lets go of what dockerd could not release while it was down).</summary>
    public bool ServesDocker => DockerPools is not null;
}
