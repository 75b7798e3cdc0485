using Contiv.Master.Views;
using Contiv.Messages.Api;

namespace Contiv.Master.Reads;

/// <summary>
/// <c>GET /api/v1/inspect/verdict/?from=&lt;endpoint&gt;&amp;to=&lt;endpoint&gt;&amp;port=N</c>: what the policy intent does with
/// a new tcp, udp and icmp connection between two endpoints, and the rule deciding it on each side (local to a master).
/// </summary>
/// <param name="OnlyTenants">an ops caller's tenants: an endpoint of another tenant is refused (403); null: any</param>
public sealed record InspectVerdict(string From, string To, int Port, IReadOnlyCollection<string>? OnlyTenants = null, string Caller = "");

public sealed partial class ReadModelActor
{
    private ApiReply Judge(InspectVerdict ask)
    {
        if (!_state.Synced) return StillLoading();
        var ends = new[] { ask.From, ask.To }.Select(id =>
        {
            var tenant = _state.TenantOfEndpoint(id);
            return (Id: id, Tenant: tenant is null ? null : _state.Tenants[tenant].State);
        }).ToArray();
        foreach (var (id, tenant) in ends)
        {
            if (tenant is null) return ApiError.NotFound($"endpoint {id} not found");
            if (ask.OnlyTenants is { } visible && !visible.Contains(tenant.Name))
                return ApiError.Forbidden($"user {ask.Caller} is not authorized for tenant {tenant.Name}, which endpoint {id} is in");
        }
        var (from, to) = (ends[0].Tenant!, ends[1].Tenant!);
        var verdict = PolicyVerdicts.Judge(_state.Global!.State.Config.FwdMode ?? "bridge", from, from.Endpoints[ask.From], to, to.Endpoints[ask.To], ask.Port);
        return new ApiOk(VerdictViews.Render(verdict, ask.Port));
    }
}
