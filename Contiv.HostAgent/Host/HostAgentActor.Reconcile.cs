using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Contiv.Dataplane.Ovs.Apply;
using Contiv.Dataplane.Ovs.HostModel;
using Contiv.HostAgent.Feed;
using Contiv.HostAgent.Plumbing;
using Contiv.HostAgent.Translation;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Feed;

namespace Contiv.HostAgent.Host;

public sealed partial class HostAgentActor
{
    // ---- start-up ----------------------------------------------------------------------------

    /// <summary>
    /// The host against the masters' view of it: complete endpoints the masters know are adopted;
    /// ports and veths they do not know are removed; endpoints they list for this host that have no
    /// port here never finished their create, so they are removed from the masters (the runtime
    /// that asked got an error and retries).
    /// </summary>
    private void StartReconcile()
    {
        _progress = _progress.ReconcileStarted();
        var mine = _replica.All<EndpointView>().Where(e => e.Endpoint.Spec.Host == _runtime.Host).ToDictionary(e => e.Endpoint.Id, e => e.Endpoint);
        var runtime = _runtime;
        var remoteVteps = RemoteVteps();
        var networks = _replica.All<NetworkView>().Select(n => (n.Config.TenantName!, n.Config.NetworkName!)).ToList();
        ReconcileAsync(runtime, mine, remoteVteps, networks).PipeTo(Self, failure: ex => new Reconciled([], null, ex.GetBaseException().Message));
    }

    private static async Task<Reconciled> ReconcileAsync(AgentRuntime runtime, IReadOnlyDictionary<string, EndpointInfo> mine, ImmutableHashSet<Ipv4> remoteVteps,
        IReadOnlyList<(string Tenant, string Network)> networks)
    {
        // The tunnel ports first: a first state without them would cut every remote endpoint off
        // until they were found, a gap in forwarding that a restart must not cause.
        var tunnels = await runtime.Tunnels.SyncAsync(remoteVteps, CancellationToken.None);
        var adopted = new List<LocalEndpointReady>();
        var problems = new List<string>();
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plumbed in await runtime.Plumber.ListAsync())
        {
            if (plumbed.EndpointId is { } id && mine.TryGetValue(id, out var endpoint) && plumbed.IsComplete && plumbed.OfPort is > 0)
            {
                adopted.Add(new LocalEndpointReady(endpoint, "", plumbed.HostInterface, plumbed.OfPort.Value, ""));
                handled.Add(id);
                continue;
            }
            try
            {
                await runtime.Plumber.DetachInterfaceAsync(plumbed.HostInterface, null);
            }
            catch (Exception ex) when (ex is PlumbingException or ArgumentException)
            {
                // One port the agent cannot remove must not keep the host from being served.
                problems.Add($"{plumbed.HostInterface}: {ex.Message}");
            }
        }
        foreach (var id in mine.Keys.Where(id => !handled.Contains(id)))
        {
            try
            {
                await runtime.Masters.Ask<object>(new RemoveEndpoint(id).Addressed(), runtime.MasterTimeout);
            }
            catch (AskTimeoutException)
            {
                // the next start tries again
            }
        }
        var docker = runtime.DockerPools is { } pools ? await ReleaseIpamOrphansAsync(runtime, pools, networks) : [];
        return new Reconciled([.. adopted], new TunnelsSynced(tunnels, remoteVteps), null, [.. problems], [.. docker]);
    }

    /// <summary>
    /// What dockerd could not release while this agent was down (a container that stopped meanwhile
    /// released its address into the void): Docker's local holds on this host for addresses no endpoint
    /// uses. No Docker call is served before this is done, so none of them is in use.
    /// </summary>
    private static async Task<List<string>> ReleaseIpamOrphansAsync(AgentRuntime runtime, IActorRef pools, IReadOnlyList<(string Tenant, string Network)> networks)
    {
        var holder = Contiv.Messages.Pools.PoolOwners.DockerLocal(runtime.Host);
        var notes = new List<string>();
        foreach (var (tenant, network) in networks)
        {
            object answer;
            try
            {
                answer = await pools.Ask<object>(new Contiv.Messages.Sharding.ShardEnvelope(Contiv.Messages.Pools.PoolOwners.PoolId(tenant, network),
                    new Contiv.Messages.Pools.ReleaseIpamOrphans(holder)), runtime.MasterTimeout);
            }
            catch (AskTimeoutException)
            {
                answer = ApiError.Unavailable("no answer");
            }
            if (answer is Contiv.Messages.Pools.IpamOrphansReleased { Addresses.IsEmpty: false } released)
                notes.Add($"network {tenant}:{network}: released {string.Join(", ", released.Addresses)}, held for Docker containers that went away while the agent was down");
            else if (answer is ApiError { Kind: not ApiErrorKind.NotFound } error)
                notes.Add($"network {tenant}:{network}: Docker's addresses on this host not checked ({error.Message}); the next start tries again");
        }
        return notes;
    }

    private void OnReconciled(Reconciled reconciled)
    {
        if (reconciled.Error is not null)
        {
            _log.Error("agent: reconcile failed ({0}); retrying", reconciled.Error);
            _progress = _progress.ReconcileFailed();
            Timers.StartSingleTimer("reconcile", new ReplicaChanged(_replica), TimeSpan.FromSeconds(2));
            return;
        }
        foreach (var note in reconciled.DockerNotes.IsDefault ? [] : reconciled.DockerNotes)
            _log.Warning("agent: Docker IPAM: {0}", note);
        foreach (var problem in reconciled.Problems.IsDefault ? [] : reconciled.Problems)
            _log.Warning("agent: reconcile left {0} (remove it by hand if it is not needed)", problem);
        foreach (var endpoint in reconciled.Adopted)
            Endpoint(endpoint.Endpoint.Id).Tell(new AdoptEndpoint(endpoint));
        _progress = _progress.Reconciled(reconciled.Adopted, reconciled.Tunnels!.Ports, reconciled.Tunnels.Wanted);
        _log.Info("agent: reconciled; {0} endpoints adopted, {1} tunnel ports; serving", reconciled.Adopted.Length, _progress.TunnelPorts.Count);
        SyncTunnels();
        Retranslate();
        Send();
    }
}
