namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// What the host holds of one endpoint, for the agent's reconcile after a restart.
/// <see cref="OnBridge"/> false: a veth left by a crash before its OVS port was made (the endpoint id is
/// then unknown: names are one-way hashes). <see cref="HasVeth"/> false: an OVS port whose device is gone (or
/// was replaced by another of the same name, which the port does not read from). <see cref="Attaching"/>: a port made
/// at once with the namespace side, whose attach did not get to say both were done.
/// </summary>
public sealed record PlumbedEndpoint(
    string HostInterface,
    string? EndpointId,
    string? ContainerId,
    int? OfPort,
    bool OnBridge,
    bool HasVeth,
    bool Attaching = false)
{
    /// <summary>No half-made state: a port on the bridge with its veth behind it, its attach finished.</summary>
    public bool IsComplete => OnBridge && HasVeth && !Attaching;
}
