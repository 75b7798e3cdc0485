using Contiv.Messages.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Contiv.Master.Access;

/// <summary>
/// In front of every route: who is calling. On the TLS listener a request needs a valid <c>X-Auth-Token</c> (401 otherwise);
/// on the plain loopback listener one without a token is <see cref="AccessPolicy.LoopbackAdmin"/>, as the original netmaster
/// trusted its local callers. Every request that changes something leaves an audit line: who, what, from where, the result.
/// </summary>
public sealed class AccessMiddleware(Authenticator authenticator, AuthProxyApi authProxy, ILogger audit)
{
    public const string TokenHeader = "X-Auth-Token";

    public static Principal Caller(HttpContext http) =>
        http.Items[typeof(Principal)] as Principal ?? throw new InvalidOperationException("no caller: AccessMiddleware did not run");

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (WebConsole.ConsoleAssets.IsConsole(http.Request.Path))
        {
            // The console's files are public, as a login page must be; everything they do goes through the API with a token.
            await next(http);
            return;
        }
        if (AuthProxyApi.IsLogin(http.Request.Path))
        {
            await (await authProxy.Login(http)).WriteAsync(http);
            return;
        }
        var token = http.Request.Headers[TokenHeader].ToString();
        Principal caller;
        if (token.Length > 0)
        {
            var answer = await authenticator.AuthenticateAsync(token);
            if (answer is not Principal principal)
            {
                var error = (Contiv.Messages.Api.ApiError)answer;
                await Refuse(http, error.HttpStatus, error.Message, "unknown-token");
                return;
            }
            caller = principal;
        }
        else if (http.Request.IsHttps)
        {
            await Refuse(http, 401, $"no {TokenHeader} header: log in first (POST {AuthProxyApi.Prefix}login/ with {{\"username\", \"password\"}})", "anonymous");
            return;
        }
        else caller = AccessPolicy.LoopbackAdmin;

        http.Items[typeof(Principal)] = caller;
        if (http.Request.Path.StartsWithSegments(AuthProxyApi.Prefix.TrimEnd('/')))
            await (await authProxy.Handle(http, caller)).WriteAsync(http);
        else
            await next(http);
        if (IsWrite(http.Request.Method)) Audit(http, caller.Username, caller.Role);
    }

    private async Task Refuse(HttpContext http, int status, string message, string who)
    {
        http.Response.StatusCode = status;
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = message.Length > 300 ? message[..300] : message;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message + "\n");
        if (IsWrite(http.Request.Method)) Audit(http, who, "none");
    }

    private void Audit(HttpContext http, string user, string role) =>
        audit.LogInformation("audit: user={User} role={Role} client={Client} {Method} {Path} -> {Status}",
            user, role, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", http.Request.Method, http.Request.Path.Value, http.Response.StatusCode);

    private static bool IsWrite(string method) => method is "POST" or "PUT" or "PATCH" or "DELETE";
}
