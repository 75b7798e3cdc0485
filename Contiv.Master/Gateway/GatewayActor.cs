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
/// to the entity that owns the object. Lists of tenant objects are gathered from every tenant.
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
        Receive<InspectEndpoint>(inspect => endpoints.Ask<object>(new GetEndpoint(inspect.EndpointId), askTimeout)
            .ContinueWith(task => task.IsCompletedSuccessfully
                ? task.Result switch
                {
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
        Receive<GetObject>(get =>
        {
            if (TenantOf(get.Kind, get.Key) is { } tenant) FromReadModel(get, () => tenants.Ask<ApiReply>(new ShardEnvelope(tenant, get), askTimeout)).PipeTo(Sender);
            else Route(get, null);
        });
        Receive<InspectObject>(inspect => Route(inspect, TenantOf(inspect.Kind, inspect.Key)));
        Receive<ListObjects>(list =>
        {
            if (!list.Kind.IsTenantScoped())
            {
                global.Forward(new ShardEnvelope(EntityIds.Global, list));
                return;
            }
            FromReadModel(list, () => GatherList(list)).PipeTo(Sender);
        });

        // The read model answers once it has heard from every tenant; until then the entities do.
        async Task<ApiReply> FromReadModel(object request, Func<Task<ApiReply>> fromEntities)
        {
            var reply = await readModel.Ask<ApiReply>(request, askTimeout);
            return reply is ReadModelNotReady ? await fromEntities() : reply;
        }

        // A tenant's write is answered once this master's read model shows it: whoever reads here next sees it.
        void Write(object request, string? tenant)
        {
            if (tenant is null)
            {
                Route(request, null);
                return;
            }
            WriteThenAwait(request, tenant).PipeTo(Sender);
        }

        async Task<ApiReply> WriteThenAwait(object request, string tenant)
        {
            var reply = await tenants.Ask<ApiReply>(new ShardEnvelope(tenant, request), askTimeout);
            if (reply is not ApiOk { Version: { } version } ok) return reply;
            await readModel.Ask<VersionShown>(new AwaitVersion(version), askTimeout);
            return ok with { Version = null };
        }

        void Route(object request, string? tenant)
        {
            if (tenant is null) global.Forward(new ShardEnvelope(EntityIds.Global, request));
            else tenants.Forward(new ShardEnvelope(tenant, request));
        }

        async Task<ApiReply> GatherList(ListObjects list)
        {
            var names = await global.Ask<TenantNames>(new ShardEnvelope(EntityIds.Global, new ListTenantNames()), askTimeout);
            var replies = await Task.WhenAll(names.Names.Select(name =>
                tenants.Ask<ApiReply>(new ShardEnvelope(name, list), askTimeout)));
            return new ApiItems([.. replies.OfType<ApiItems>().SelectMany(r => r.Items)]);
        }
    }

    /// <summary><c>GET /api/v1/inspect/nodes/&lt;host&gt;/</c>: a host with an agent, as the feed and cluster membership know it.</summary>
    public sealed record InspectNode(string Name);

    /// <summary><c>GET /api/v1/inspect/nodes/</c>: every master and agent with its status as the cluster sees it.</summary>
    public sealed record InspectNodes;

    /// <summary><c>GET /api/v1/inspect/endpoints/&lt;id&gt;/</c>: endpoints are not config objects, only inspectable.</summary>
    public sealed record InspectEndpoint(string EndpointId);

    private static string? TenantOf(ObjectKind kind, string key) =>
        kind.IsTenantScoped() ? key.Split(':')[0] : null;
}
