using Akka.Actor;
using Contiv.HostAgent.Feed;
using Contiv.HostAgent.Plumbing;

namespace Contiv.HostAgent.Host;

// Messages between the host agent, its endpoint actors and the agent's own front ends (local API, Docker plugin).
// ReplicaChanged stays in Contiv.HostAgent.Feed: the feed follower sends it and must not depend on the host layer.

/// <summary>The agent answers 503 to runtimes until this is true: it has the masters' state and has reconciled the host with it.</summary>
public sealed record GetAgentStatus;

public sealed record AgentStatus(bool Ready, string Host, Guid Epoch, long FeedVersion, long AppliedVersion, int LocalEndpoints);

/// <summary>The agent's copy of the masters' state (networks, groups) for plugins that must resolve names: answered with the <see cref="FeedReplica"/>, or 503 until ready.</summary>
public sealed record GetFeedReplica;

/// <summary>The endpoint is plumbed: the host agent puts it into the dataplane and answers the requester once its flows are in.</summary>
public sealed record EndpointPlumbed(LocalEndpointReady Endpoint, IActorRef Requester);

/// <summary>The endpoint is gone from this host.</summary>
public sealed record EndpointUnplumbed(string EndpointId);

/// <summary>Reconcile found this endpoint complete on the host and known to the masters: take it as it is.</summary>
public sealed record AdoptEndpoint(LocalEndpointReady Endpoint);

/// <summary>What an endpoint actor needs from its host.</summary>
public sealed record EndpointContext(string Host, EndpointPlumber Plumber, IActorRef Masters, TimeSpan MasterTimeout, int Mtu);
