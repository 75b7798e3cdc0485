using System.Text.Json.Nodes;
using Contiv.Master.Entities.Tenants;
using Contiv.Master.Reads;

namespace Contiv.Master.Views;

/// <summary><c>GET /api/v1/inspect/verdict/?from=&lt;id&gt;&amp;to=&lt;id&gt;&amp;port=N</c>: a <see cref="PairVerdict"/> as JSON.</summary>
public static class VerdictViews
{
    public static string Render(PairVerdict verdict, int port)
    {
        var json = new JsonObject
        {
            ["from"] = Endpoint(verdict.From),
            ["to"] = Endpoint(verdict.To),
            ["port"] = port,
            ["reachable"] = verdict.Unreachable is null,
        };
        json.With("unreachable", verdict.Unreachable);
        json["verdicts"] = new JsonArray([.. verdict.Verdicts.Select(v =>
        {
            var node = new JsonObject { ["protocol"] = v.Protocol };
            if (v.Port is { } probed) node["port"] = probed;
            node["verdict"] = v.Admitted ? "allow" : "deny";
            node["reason"] = v.Reason;
            if (v.Source is { } source) node["source"] = Side(source);
            if (v.Destination is { } destination) node["destination"] = Side(destination);
            return (JsonNode)node;
        })]);
        return json.ToJsonString();
    }

    private static JsonObject Endpoint(TenantEndpoint endpoint) => new JsonObject()
        .With("endpointID", endpoint.Id)
        .With("tenantName", endpoint.Spec.Tenant)
        .With("networkName", endpoint.Spec.Network)
        .With("groupName", endpoint.Spec.Group)
        .With("homingHost", endpoint.Spec.Host)
        .With("containerName", endpoint.Spec.ContainerName)
        .With("ipAddress", endpoint.Info?.IpAddress);

    private static JsonObject Side(SideVerdict side)
    {
        var node = new JsonObject { ["direction"] = side.Direction };
        node.With("group", side.Group);
        node["policies"] = new JsonArray([.. side.Policies.Select(p => (JsonNode)p)]);
        node["verdict"] = side.Denies ? "deny" : "allow";
        node["reason"] = side.Reason;
        if (side.Deciding is { } rule) node["rule"] = ObjectView.ConfigNode(rule);
        return node;
    }
}
