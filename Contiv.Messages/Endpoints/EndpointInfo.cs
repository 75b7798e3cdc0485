namespace Contiv.Messages.Endpoints;

/// <summary>
/// What a container runtime asks for through an agent: an attachment of one container to a network
/// (and optionally an endpoint group) of a tenant, on a host.
/// </summary>
/// <param name="AddressFromIpam">the preferred address came from Docker's IPAM, which holds it in the pool: the endpoint uses that address</param>
public sealed record EndpointSpec(
    string Tenant,
    string Network,
    string? Group,
    string ContainerId,
    string Host,
    string? ContainerName = null,
    string? Labels = null,
    string? PreferredIp = null,
    bool AddressFromIpam = false);

/// <summary>An endpoint that holds its address: everything an agent needs to plumb and forward it.</summary>
public sealed record EndpointInfo(
    string Id,
    EndpointSpec Spec,
    string IpAddress,
    int PrefixLength,
    string MacAddress,
    string? Gateway)
{
    public string NetworkKey => $"{Spec.Tenant}:{Spec.Network}";
    public string? GroupKey => Spec.Group is null ? null : $"{Spec.Tenant}:{Spec.Group}";
}
