using System.Net;
using Akka.Actor;
using Akka.Event;
using Contiv.HostAgent.Plumbing;
using Contiv.Messages.Api;
using Contiv.Messages.Endpoints;

namespace Contiv.HostAgent.Host;

/// <summary>
/// One endpoint on this host. Create: the masters give it an address (idempotent per endpoint id),
/// then the veth, namespace and OVS port are made (idempotent, undone on failure, and then the
/// address is given back). Delete undoes both, host first. Requests for one endpoint run one at a time.
/// </summary>
public sealed class EndpointActor : ReceiveActor, IWithStash
{
    private readonly string _id;
    private readonly EndpointContext _context;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LocalEndpointReady? _ready;

    public IStash Stash { get; set; } = null!;

    public static Props Props(string id, EndpointContext context) => Akka.Actor.Props.Create(() => new EndpointActor(id, context));

    public EndpointActor(string id, EndpointContext context)
    {
        _id = id;
        _context = context;
        Idle();
    }

    private void Idle()
    {
        Receive<CreateLocalEndpoint>(create =>
        {
            if (_ready is not null)
            {
                Sender.Tell(Same(_ready, create.Request)
                    ? _ready
                    : ApiError.Conflict($"endpoint {_id} already exists for container {_ready.Endpoint.Spec.ContainerId} on network " +
                                        $"{_ready.Endpoint.Spec.Tenant}:{_ready.Endpoint.Spec.Network} in {_ready.NetnsPath}"));
                return;
            }
            var requester = Sender;
            Become(Busy);
            CreateAsync(create.Request).PipeTo(Self, success: result => new Done(result, requester),
                failure: ex => new Done(ApiError.Unavailable($"endpoint {_id}: {ex.GetBaseException().Message}"), requester));
        });
        Receive<DeleteLocalEndpoint>(_ =>
        {
            var requester = Sender;
            var netns = _ready?.NetnsPath;
            Become(Busy);
            DeleteAsync(netns).PipeTo(Self, success: result => new Done(result, requester),
                failure: ex => new Done(ApiError.Unavailable($"endpoint {_id}: {ex.GetBaseException().Message}"), requester));
        });
        Receive<GetLocalEndpoint>(_ => Sender.Tell(_ready ?? (object)ApiError.NotFound($"endpoint {_id} not found on this host")));
        Receive<AdoptEndpoint>(adopt => _ready = adopt.Endpoint);
    }

    private void Busy()
    {
        Receive<Done>(done =>
        {
            switch (done.Result)
            {
                case LocalEndpointReady ready:
                    _ready = ready;
                    Context.Parent.Tell(new EndpointPlumbed(ready, done.Requester));
                    break;
                case LocalEndpointDeleted deleted:
                    _ready = null;
                    Context.Parent.Tell(new EndpointUnplumbed(_id));
                    done.Requester.Tell(deleted);
                    Context.Stop(Self);
                    return;
                default:
                    done.Requester.Tell(done.Result);
                    if (_ready is null)
                    {
                        Context.Parent.Tell(new EndpointUnplumbed(_id));
                        Context.Stop(Self);
                        return;
                    }
                    break;
            }
            Become(Idle);
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private async Task<object> CreateAsync(LocalEndpointRequest request)
    {
        // Checked before anything is asked or made: a container that is already gone costs nothing.
        if (request.NetnsPath is { } netns && (!Path.IsPathFullyQualified(netns) || !Path.Exists(netns)))
            return ApiError.Invalid($"netns: the network namespace {netns} does not exist");
        var spec = new EndpointSpec(request.Tenant, request.Network, request.Group, request.ContainerId, _context.Host,
            request.ContainerName, request.Labels, request.PreferredIp, request.AddressFromIpam);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answer = await AskMasters(new CreateEndpoint(_id, spec));
        if (answer is not EndpointReady { Endpoint: var endpoint }) return answer;
        var fromMasters = watch.Elapsed.TotalMilliseconds;

        var attachment = new EndpointAttachment(_id, request.ContainerId, request.NetnsPath, IPAddress.Parse(endpoint.IpAddress),
            endpoint.PrefixLength, endpoint.MacAddress, _context.Mtu, endpoint.Gateway is null ? null : IPAddress.Parse(endpoint.Gateway),
            request.InterfaceName ?? "eth0");
        try
        {
            attachment.Validate();
            var ofport = await _context.Plumber.AttachAsync(attachment);
            _log.Info("endpoint {0}: address {1} from the masters in {2:0.0} ms, plumbed in {3:0.0} ms", _id, endpoint.IpAddress, fromMasters,
                watch.Elapsed.TotalMilliseconds - fromMasters);
            return attachment.LeftForRuntime
                ? new LocalEndpointReady(endpoint, attachment.TemporaryPeer, attachment.HostInterface, ofport, "")
                : new LocalEndpointReady(endpoint, attachment.InterfaceName, attachment.HostInterface, ofport, request.NetnsPath!);
        }
        catch (Exception ex) when (ex is PlumbingException or ArgumentException)
        {
            // The host part failed and was undone: give the address back too, so nothing is half made.
            await AskMasters(new RemoveEndpoint(_id));
            return ex is ArgumentException
                ? ApiError.Invalid(ex.Message)
                : ApiError.Unavailable($"endpoint {_id}: plumbing failed: {ex.Message}");
        }
    }

    private async Task<object> DeleteAsync(string? netns)
    {
        // The host first: if the agent dies in between, the restart finds a master endpoint without
        // a port and removes it; the other order could leave a port nobody accounts for.
        await _context.Plumber.DetachAsync(_id, netns);
        var answer = await AskMasters(new RemoveEndpoint(_id));
        return answer is EndpointRemoved ? new LocalEndpointDeleted(_id) : answer;
    }

    private async Task<object> AskMasters(IEndpointCommand command)
    {
        try
        {
            return await _context.Masters.Ask<object>(command.Addressed(), _context.MasterTimeout);
        }
        catch (AskTimeoutException)
        {
            return ApiError.Unavailable($"the masters did not answer {command.GetType().Name} for endpoint {_id} within {_context.MasterTimeout.TotalSeconds:0.#} s");
        }
    }

    private static bool Same(LocalEndpointReady ready, LocalEndpointRequest request) =>
        ready.Endpoint.Spec.Tenant == request.Tenant && ready.Endpoint.Spec.Network == request.Network &&
        ready.Endpoint.Spec.Group == request.Group && ready.Endpoint.Spec.ContainerId == request.ContainerId &&
        ready.NetnsPath == (request.NetnsPath ?? "");

    private sealed record Done(object Result, IActorRef Requester);
}
