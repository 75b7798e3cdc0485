using System.Collections.Immutable;
using Akka.Actor;
using Contiv.Master.Sharding;
using Contiv.Master.Hosting;
using Contiv.Master.Reads;
using Contiv.Master.Views;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;
using Contiv.Messages.Globals;
using Contiv.Messages.Model;
using Contiv.Messages.Validation;
using Contiv.Messages.Sharding;

namespace Contiv.Master.Gateway;

/// <summary>
/// Where every REST request enters the actor system: validates it (pure checks, no state) and routes it
/// to the entity that owns the object; reads go to this master's read model.
/// </summary>
public sealed class GatewayActor : ReceiveActor
{
    public static Props Props(IActorRef global, IActorRef tenants, IActorRef endpoints, IActorRef feed, IActorRef readModel, TimeSpan askTimeout,
        JournalHealth? journal = null) =>
        Akka.Actor.Props.Create(() => new GatewayActor(global, tenants, endpoints, feed, readModel, askTimeout, journal));

    public GatewayActor(IActorRef global, IActorRef tenants, IActorRef endpoints, IActorRef feed, IActorRef readModel, TimeSpan askTimeout, JournalHealth? journal)
    {
        Receive<InspectNode>(inspect =>
        {
            var cluster = Akka.Cluster.Cluster.Get(Context.System).State;
            feed.Ask<Messages.Feed.FeedHosts>(new Messages.Feed.GetFeedHosts(), askTimeout)
                .ContinueWith(task => task.IsCompletedSuccessfully
                    ? NodeViews.Inspect(inspect.Name, task.Result, cluster)
                    : ApiError.Unavailable("the state feed did not answer; try again"))
                .PipeTo(Sender);
        });
        Receive<InspectNodes>(_ =>
        {
            var cluster = Akka.Cluster.Cluster.Get(Context.System).State;
            feed.Ask<Messages.Feed.FeedHosts>(new Messages.Feed.GetFeedHosts(), askTimeout)
                .ContinueWith(task => NodeViews.List(task.IsCompletedSuccessfully ? task.Result : null, cluster))
                .PipeTo(Sender);
        });
        Receive<InspectEndpoint>(inspect => endpoints.Ask<object>(new GetEndpoint(inspect.EndpointId).Addressed(), askTimeout)
            .ContinueWith(task => task.IsCompletedSuccessfully
                ? task.Result switch
                {
                    EndpointReady ready when inspect.OnlyTenants is { } tenants && !tenants.Contains(ready.Endpoint.Spec.Tenant) =>
                        ApiError.Forbidden($"user {inspect.Caller} is not authorized for tenant {ready.Endpoint.Spec.Tenant}, which endpoint {inspect.EndpointId} is in"),
                    EndpointReady ready => new ApiOk(EndpointViews.Inspect(ready.Endpoint)),
                    ApiError error => error,
                    var other => ApiError.Unavailable($"unexpected answer {other.GetType().Name}"),
                }
                : (ApiReply)ApiError.Unavailable($"endpoint {inspect.EndpointId} did not answer in time"))
            .PipeTo(Sender));
        bool RefusedForJournal()
        {
            if (journal?.Unavailable is not { } reason) return false;
            Sender.Tell(ApiError.Unavailable($"{reason}; writes are refused until it answers again"));
            return true;
        }

        Receive<SaveObject>(save =>
        {
            if (RefusedForJournal()) return;
            var config = ModelDefaults.Normalize(save.Config);
            if (ModelValidator.Validate(config) is { } error)
            {
                Sender.Tell(ApiError.Invalid(error.Message));
                return;
            }
            Write(new SaveObject(config), config.Tenant);
        });
        Receive<DeleteObject>(delete =>
        {
            if (!RefusedForJournal()) Write(delete, TenantOf(delete.Kind, delete.Key));
        });
        // Every object is read from this master's read model.
        Receive<GetObject>(get => readModel.Forward(get));
        Receive<InspectObject>(inspect => readModel.Forward(inspect));
        Receive<ListObjects>(list => readModel.Forward(list));

        // A write is answered once this master's read model shows it: whoever reads here next sees it.
        void Write(object request, string? tenant) =>
            WriteThenShow(request, tenant is null ? (global, EntityIds.Global) : (tenants, tenant)).PipeTo(Sender);

        async Task<ApiReply> WriteThenShow(object request, (IActorRef Region, string Id) owner)
        {
            ApiReply written;
            try
            {
                // A saga asks up to two entities in turn, each within the ask timeout.
                written = await owner.Region.Ask<ApiReply>(new ShardEnvelope(owner.Id, request), askTimeout * 2);
            }
            catch (AskTimeoutException)
            {
                return ApiError.Unavailable($"{owner.Id} did not answer in time; the change may still be made: read it back before retrying");
            }
            return written is ObjectSaved or ObjectDeleted ? await readModel.Ask<ApiReply>(new AnswerWrite(written), askTimeout) : written;
        }
    }

    /// <summary><c>GET /api/v1/inspect/nodes/&lt;host&gt;/</c>: a host with an agent, as the feed and cluster membership know it.</summary>
    public sealed record InspectNode(string Name);

    /// <summary><c>GET /api/v1/inspect/nodes/</c>: every master and agent with its status as the cluster sees it.</summary>
    public sealed record InspectNodes;

    /// <summary><c>GET /api/v1/inspect/endpoints/&lt;id&gt;/</c>: endpoints are not config objects, only inspectable.</summary>
    /// <param name="OnlyTenants">an ops caller's tenants: an endpoint of another tenant is refused (403); null: any</param>
    public sealed record InspectEndpoint(string EndpointId, IReadOnlyCollection<string>? OnlyTenants = null, string Caller = "");

    private static string? TenantOf(ObjectKind kind, string key) =>
        kind.IsTenantScoped() ? key.Split(':')[0] : null;
}
