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
    int EndpointMtu);
