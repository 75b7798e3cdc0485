using System.Collections.Immutable;
using Akka.Actor;
using Contiv.Master.Entities.Tenants;
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
        Receive<InspectEndpoint>(inspect => InspectEndpointOnce(inspect).PipeTo(Sender));

        // Asked of the read model first: an endpoint no tenant has registered starts no entity, and an ops caller
        // is refused before any entity is asked.
        async Task<ApiReply> InspectEndpointOnce(InspectEndpoint inspect)
        {
            var owner = await AskOrNull<EndpointOwner>(readModel, new AskEndpointOwner(inspect.EndpointId));
            if (owner is { Tenant: null, Synced: true }) return ApiError.NotFound($"endpoint {inspect.EndpointId} not found");
            if (owner?.Tenant is { } known && Refused(inspect, known) is { } early) return early;
            var answer = await AskOrNull<object>(endpoints, new GetEndpoint(inspect.EndpointId).Addressed());
            return answer switch
            {
                null => ApiError.Unavailable($"endpoint {inspect.EndpointId} did not answer in time"),
                EndpointReady ready when Refused(inspect, ready.Endpoint.Spec.Tenant) is { } refusal => refusal,
                EndpointReady ready => new ApiOk(EndpointViews.Inspect(ready.Endpoint)),
                ApiError error => error,
                var other => ApiError.Unavailable($"unexpected answer {other.GetType().Name}"),
            };
        }

        static ApiError? Refused(InspectEndpoint inspect, string tenant) => inspect.OnlyTenants is { } tenants && !tenants.Contains(tenant)
            ? ApiError.Forbidden($"user {inspect.Caller} is not authorized for tenant {tenant}, which endpoint {inspect.EndpointId} is in")
            : null;

        async Task<T?> AskOrNull<T>(IActorRef target, object message) where T : class
        {
            try { return await target.Ask<T>(message, askTimeout); }
            catch (AskTimeoutException) { return null; }
        }

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
        Receive<InspectVerdict>(ask => readModel.Forward(ask));

        // A write is answered once this master's read model shows it: whoever reads here next sees it.
        void Write(object request, string? tenant) =>
            WriteThenShow(request, tenant is null ? (global, EntityIds.Global) : (tenants, tenant)).PipeTo(Sender);

        async Task<ApiReply> WriteThenShow(object request, (IActorRef Region, string Id) owner)
        {
            if (owner.Region == tenants && request is not SaveObject { Config: TenantConfig } && !await TenantMayExist(owner.Id))
                return TenantRules.Absent(owner.Id);
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

        // Only a save of the tenant itself may start an entity for a name no one made: anything else would let a
        // flood of writes to made-up tenants start (and remember) an entity per name. The read model knows almost
        // every tenant; global, which registers each, settles one made a moment ago through another master.
        // Either not answering means "maybe": the entity then decides, as it always could.
        async Task<bool> TenantMayExist(string tenant)
        {
            if (await AskOrNull<TenantPresence>(readModel, new AskTenantPresence(tenant)) is not { Exists: false }) return true;
            var names = await AskOrNull<TenantNames>(global, new ShardEnvelope(EntityIds.Global, new ListTenantNames()));
            return names is null || names.Names.Contains(tenant);
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
