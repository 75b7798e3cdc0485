using System.Text;
using System.Text.Json;
using Akka.Actor;
using Contiv.Master.Access;
using Contiv.Messages.Access;
using Contiv.Messages.Api;
using Contiv.Messages.Model;
using Microsoft.AspNetCore.Http;

namespace Contiv.Master.Gateway;

/// <summary>
/// The v1 REST API on Kestrel: parses routes, keys and bodies exactly as the original netmaster did
/// (trailing slash, <c>tenant:name</c> keys, no Content-Type needed) and hands each request to the gateway actor.
/// </summary>
public sealed class RestApi(Func<IActorRef> gateway, TimeSpan requestTimeout, long maxBody)
{
    private const string Prefix = "/api/v1/";

    public async Task Handle(HttpContext http)
    {
        var (status, body, json, utf8) = await Answer(http);
        http.Response.StatusCode = status;
        if (!json) http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = ReasonPhrase(body);
        http.Response.ContentType = json ? "application/json" : "text/plain; charset=utf-8";
        if (utf8 is not null)
        {
            http.Response.ContentLength = utf8.Length;
            await http.Response.Body.WriteAsync(utf8);
        }
        else await http.Response.WriteAsync(body);
    }

    private async Task<RestReply> Answer(HttpContext http)
    {
        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? "/";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            return Error(404, $"no such route {path}: the API lives under {Prefix}");
        if (!path.EndsWith('/'))
            return Error(404, $"no such route {path}: the v1 API needs a trailing slash ({path}/)");

        var caller = AccessMiddleware.Caller(http);
        var segments = path[Prefix.Length..].TrimEnd('/').Split('/');
        var inspect = segments[0] == "inspect";
        if (inspect) segments = segments[1..];
        if (inspect && segments is ["nodes", ..] && method == "GET" && AccessPolicy.Check(caller, ApiAction.Read, new ApiTarget.Global("nodes")) is { } nodesRefused)
            return Refused(nodesRefused);
        if (inspect && segments is ["nodes"])
            return method == "GET" ? await Ask(new GatewayActor.InspectNodes()) : Error(405, $"method {method} is not allowed on inspect; use GET");
        if (inspect && segments is ["nodes", { Length: > 0 } node])
            return method == "GET" ? await Ask(new GatewayActor.InspectNode(node)) : Error(405, $"method {method} is not allowed on inspect; use GET");
        if (inspect && segments is ["verdict"])
            return method == "GET" ? await Verdict(http.Request.Query, caller) : Error(405, $"method {method} is not allowed on inspect; use GET");
        if (inspect && segments is ["endpoints", { Length: > 0 } endpointId])
            return method == "GET"
                ? await Ask(new GatewayActor.InspectEndpoint(endpointId, caller.IsAdmin ? null : [.. caller.Tenants], caller.Username))
                : Error(405, $"method {method} is not allowed on inspect; use GET");
        if (segments.Length is 0 or > 2 || segments[0].Length == 0)
            return Error(404, $"no such route {path}: expected {Prefix}<plural>/ or {Prefix}<plural>/<key>/");
        if (!ObjectKinds.TryParsePlural(segments[0], out var kind))
            return Error(404, $"unknown object kind '{segments[0]}' in {path}: expected one of {string.Join(", ", ObjectKinds.All.Select(k => k.Plural()))}");

        if (segments.Length == 1)
        {
            if (inspect) return Error(404, $"inspect needs a key: {Prefix}inspect/{kind.Plural()}/<key>/");
            if (method != "GET") return Error(405, $"method {method} is not allowed on a list; use GET");
            if (!kind.IsTenantScoped())
                return AccessPolicy.Check(caller, ApiAction.Read, new ApiTarget.Global(kind.Plural())) is { } listRefused
                    ? Refused(listRefused) : await Ask(new ListObjects(kind));
            return await Ask(new ListObjects(kind, caller.IsAdmin ? null : [.. caller.Tenants]));
        }

        var key = segments[1];
        if (KeyProblem(kind, key) is { } keyProblem) return Error(400, keyProblem);
        var action = inspect || method == "GET" ? ApiAction.Read : ApiAction.Write;
        ApiTarget target = kind.IsTenantScoped() ? new ApiTarget.OfTenant(key.Split(':')[0]) : new ApiTarget.Global(kind.Plural());
        if (AccessPolicy.Check(caller, action, target) is { } refused) return Refused(refused);
        if (inspect)
            return method == "GET" ? await Ask(new InspectObject(kind, key)) : Error(405, $"method {method} is not allowed on inspect; use GET");

        switch (method)
        {
            case "GET":
                return await Ask(new GetObject(kind, key));
            case "DELETE":
                return await Ask(new DeleteObject(kind, key));
            case "POST":
            case "PUT":
                var (config, bodyError) = await ReadBody(http, kind, maxBody);
                if (config is null) return bodyError!.Value;
                if (config.Key != key)
                    return Error(400, $"Invalid Key: the body's key '{config.Key}' does not match the URL's key '{key}'");
                return await Ask(new SaveObject(config));
            default:
                return Error(405, $"method {method} is not allowed: use GET, POST, PUT or DELETE");
        }
    }

    private async Task<RestReply> Verdict(IQueryCollection query, Principal caller)
    {
        string? Endpoint(string name) => query[name].ToString() is { Length: > 0 } id ? id : null;
        if (Endpoint("from") is not { } from) return Error(400, "query parameter 'from' is required: the endpoint id the connection starts at");
        if (Endpoint("to") is not { } to) return Error(400, "query parameter 'to' is required: the endpoint id the connection goes to");
        var port = 80;
        if (query["port"].ToString() is { Length: > 0 } portText &&
            (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            return Error(400, $"query parameter 'port' must be a number 1..65535 (the tcp/udp destination port to judge), not '{portText}'");
        return await Ask(new Reads.InspectVerdict(from, to, port, caller.IsAdmin ? null : [.. caller.Tenants], caller.Username));
    }

    private static string? KeyProblem(ObjectKind kind, string key)
    {
        var fields = kind.KeyFields();
        var parts = key.Split(':');
        if (parts.Length != fields.Count || parts.Any(p => p.Length == 0))
            return $"Invalid Key '{key}' for {kind.Plural()}: expected {string.Join(":", fields)}";
        return null;
    }

    private static async Task<(IConfigObject? Config, RestReply? Error)> ReadBody(HttpContext http, ObjectKind kind, long maxBody)
    {
        // Read past the limit (Kestrel's own hard cap stops a flood) so that a client that sends the
        // whole body before reading the answer, as netctl does, gets the 413 instead of a broken pipe.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk)) > 0)
            {
                total += read;
                if (total <= maxBody) buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            total = long.MaxValue;
        }
        catch (BadHttpRequestException ex)
        {
            // A broken chunked encoding, or a body slower than Kestrel's MinRequestBodyDataRate (408).
            return (null, Error(ex.StatusCode, $"cannot read the request body: {FirstLine(ex.Message)}"));
        }
        catch (IOException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"cannot read the request body: {FirstLine(ex.Message)}"));
        }
        if (total > maxBody) return (null, Error(413, $"request body too large: the limit is {maxBody} bytes (contiv.master.max-request-body)"));
        var bytes = buffer.ToArray();
        if (bytes.Length == 0) return (null, Error(400, $"empty body: a {kind.TypeName()} object in JSON is required"));
        try
        {
            var config = (IConfigObject?)JsonSerializer.Deserialize(bytes, kind.ConfigType(), ApiJson.Options);
            return config is null ? (null, Error(400, $"invalid JSON body: expected a {kind.TypeName()} object, got null")) : (config, null);
        }
        catch (JsonException ex)
        {
            if (ApiJson.UnknownField(bytes, kind.ConfigType()) is { } unknown)
                return (null, Error(400, $"unknown field {unknown} in {kind.TypeName()}: the fields of a {kind.TypeName()} are {KnownFields(kind)}"));
            var field = ex.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : null;
            var what = field is null ? $"expected a {kind.TypeName()} object" : $"field {field} has the wrong type or value";
            return (null, Error(400, $"invalid JSON body: {what} ({FirstLine(ex.Message)})"));
        }
    }

    private static string KnownFields(ObjectKind kind) =>
        string.Join(", ", ApiJson.Options.GetTypeInfo(kind.ConfigType()).Properties.Select(p => p.Name).Except(ApiJson.EchoedFields));

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private async Task<RestReply> Ask(object request)
    {
        ApiReply reply;
        try
        {
            reply = await gateway().Ask<ApiReply>(request, requestTimeout);
        }
        catch (AskTimeoutException)
        {
            return Error(503, $"the master did not answer within {requestTimeout.TotalSeconds:0.#} s; try again");
        }
        return reply switch
        {
            ApiOk ok => new RestReply(200, ok.Json, true),
            Reads.ListBody list => new RestReply(200, "", true, list.Utf8Json),
            ApiItems items => new RestReply(200, "[" + string.Join(",", items.Items) + "]", true),
            ApiError error => Error(error.HttpStatus, error.Message),
            _ => Error(500, $"unexpected reply {reply.GetType().Name}"),
        };
    }

    private static RestReply Error(int status, string message) => new(status, message + "\n", false);

    private static RestReply Refused(ApiError refusal) => Error(refusal.HttpStatus, refusal.Message);

    /// <summary>What the REST API answers: a status and a JSON document or a message; a list comes as the read model encoded it.</summary>
    private readonly record struct RestReply(int Status, string Body, bool Json, byte[]? Utf8 = null);

    /// <summary>
    /// The original netctl prints only the status line for errors other than 500, so the message goes
    /// into the reason phrase too (<c>409 cannot delete n1 has 1 endpoint groups</c>): one line of
    /// printable ASCII, as HTTP/1.1 allows.
    /// </summary>
    private static string ReasonPhrase(string message)
    {
        var line = new string(message.Trim().Select(c => c is >= ' ' and <= '~' ? c : ' ').ToArray());
        return line.Length > 300 ? line[..300] : line;
    }
}
