using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Contiv.Messages.Access;
using Contiv.Messages.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Contiv.Master.Access;

/// <summary>
/// Contiv's auth proxy API, served by the master itself: <c>login/</c>, <c>logout/</c>, <c>local_users/</c> and
/// <c>authorizations/</c> under <c>/api/v1/auth_proxy/</c>, in the proxy's JSON shapes; errors are <c>{"error": "..."}</c> as it answered.
/// </summary>
public sealed partial class AuthProxyApi(Authenticator authenticator, LoginThrottle throttle, AccessSettings settings, ILogger audit)
{
    public const string Prefix = "/api/v1/auth_proxy/";
    private const int MaxBody = 16 * 1024;

    /// <summary>Checked against when a username does not exist, so that the answer takes as long as for a wrong password.</summary>
    private readonly Lazy<string> _decoyHash = new(() => Passwords.Hash(Passwords.Generate(), settings.PasswordIterations));

    private static readonly JsonSerializerOptions BodyJson = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static bool IsLogin(PathString path) => path.Value is Prefix + "login/" or Prefix + "login";

    public async Task<AuthReply> Handle(HttpContext http, Principal caller)
    {
        var path = http.Request.Path.Value!;
        var method = http.Request.Method;
        var segments = path[Prefix.Length..].Trim('/').Split('/');
        switch (segments)
        {
            case ["logout"] when method == "POST":
                return await Logout(http);
            case ["whoami"] when method == "GET":
                return new AuthReply(200, WhoAmI(caller));
            case ["local_users" or "authorizations", ..] when AccessPolicy.Check(caller, ApiAction.Write, new ApiTarget.Access()) is { } refused:
                return AuthReply.Error(refused);
            case ["local_users"] when method == "GET":
                return Reply(await authenticator.AskAsync(new ListUsers()));
            case ["local_users"] when method == "POST":
                return await CreateUser(http);
            case ["local_users", var name] when method == "GET":
                return Reply(await authenticator.AskAsync(new GetUser(name)));
            case ["local_users", var name] when method is "PATCH" or "PUT":
                return await UpdateUser(http, name);
            case ["local_users", var name] when method == "DELETE":
                return Reply(await authenticator.AskAsync(new DeleteUser(name)));
            case ["authorizations"] when method == "GET":
                return Reply(await authenticator.AskAsync(new ListAuthorizations()));
            case ["authorizations"] when method == "POST":
                return await AddAuthorization(http);
            case ["authorizations", var id] when method == "GET":
                return Reply(await authenticator.AskAsync(new GetAuthorization(id)));
            case ["authorizations", var id] when method == "DELETE":
                return Reply(await authenticator.AskAsync(new RemoveAuthorization(id)));
            case ["login" or "logout" or "whoami" or "local_users" or "authorizations", ..]:
                return AuthReply.Error(405, $"method {method} is not allowed on {path}");
            default:
                return AuthReply.Error(404, $"no such route {path}: the auth proxy serves login/, logout/, whoami/, local_users/ and authorizations/");
        }
    }

    /// <summary>Who the token is: the console shows it, and offers only what the role may do.</summary>
    public static JsonObject WhoAmI(Principal caller) => new()
    {
        ["username"] = caller.Username,
        ["role"] = caller.Role,
        ["tenants"] = new JsonArray([.. caller.Tenants.Select(t => (JsonNode)t)]),
        ["expiresAt"] = caller.ExpiresAt == DateTimeOffset.MaxValue ? null : caller.ExpiresAt.ToString("O"),
    };

    public async Task<AuthReply> Login(HttpContext http)
    {
        if (http.Request.Method != "POST") return AuthReply.Error(405, "login takes POST with {\"username\": ..., \"password\": ...}");
        var (body, error) = await Read<LoginRequest>(http, "login");
        if (body is null) return error!;
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password))
            return AuthReply.Error(400, "login: username and password are required");
        if (body.Password.Length > settings.MaxPasswordLength)
            return AuthReply.Error(400, $"login: password is longer than {settings.MaxPasswordLength} characters");
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wait = throttle.WaitFor(body.Username, client);
        if (wait > TimeSpan.Zero)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            audit.LogWarning("login refused for user {User} from {Client}: too many failed logins, retry in {Seconds:0.#} s", body.Username, client, wait.TotalSeconds);
            return AuthReply.Error(429, $"login: too many failed logins for {body.Username} or from {client}; retry in {Math.Ceiling(wait.TotalSeconds)} s");
        }

        var found = await authenticator.AskAsync(new GetUser(body.Username));
        if (found is ApiError { Kind: ApiErrorKind.Unavailable } unavailable) return AuthReply.Error(unavailable);
        var user = (found as UserAnswer)?.User;
        // Hashing off the request's thread pool slot matters little; hashing even for unknown users keeps timing flat.
        var matches = await Task.Run(() => Passwords.Verify(body.Password, user?.PasswordHash ?? _decoyHash.Value));
        if (user is null || !matches || user.Disabled)
        {
            var failures = throttle.Failed(body.Username, client);
            audit.LogWarning("login failed for user {User} from {Client} ({Failures} in a row)", body.Username, client, failures);
            return AuthReply.Error(401, "login: invalid username or password");
        }
        var token = Tokens.New();
        var now = authenticator.Clock.GetUtcNow();
        var opened = await authenticator.AskAsync(new OpenSession(new Session(Tokens.HashOf(token), user.Username, now + settings.TokenLifetime), now));
        if (opened is not SessionOpened) return Reply(opened);
        throttle.Succeeded(user.Username);
        audit.LogInformation("audit: user={User} role={Role} client={Client} login -> 200", user.Username, user.Role, client);
        return new AuthReply(200, new JsonObject { ["token"] = token });
    }

    private async Task<AuthReply> Logout(HttpContext http)
    {
        var token = http.Request.Headers[AccessMiddleware.TokenHeader].ToString();
        if (token.Length == 0) return AuthReply.Error(400, $"logout: no {AccessMiddleware.TokenHeader} header to revoke");
        var closed = await authenticator.AskAsync(new CloseSession(Tokens.HashOf(token)));
        if (closed is not SessionClosed) return Reply(closed);
        authenticator.Forget();
        return new AuthReply(204, null);
    }

    private async Task<AuthReply> CreateUser(HttpContext http)
    {
        var (body, error) = await Read<UserRequest>(http, "local user");
        if (body is null) return error!;
        if (UserProblem(body, creating: true) is { } problem) return AuthReply.Error(400, problem);
        var hash = await Task.Run(() => Passwords.Hash(body.Password!, settings.PasswordIterations));
        var user = new LocalUser(body.Username!, body.Role!, body.Disable ?? false, hash, body.FirstName, body.LastName);
        var reply = Reply(await authenticator.AskAsync(new SaveUser(user, CreateOnly: true)));
        return reply.Status == 200 ? reply with { Status = 201 } : reply;
    }

    private async Task<AuthReply> UpdateUser(HttpContext http, string name)
    {
        var (body, error) = await Read<UserRequest>(http, "local user");
        if (body is null) return error!;
        if (body.Username is not null && body.Username != name)
            return AuthReply.Error(400, $"local user: username {body.Username} does not match the URL's {name} (a user can not be renamed)");
        if (UserProblem(body with { Username = name }, creating: false) is { } problem) return AuthReply.Error(400, problem);
        if (await authenticator.AskAsync(new GetUser(name)) is not UserAnswer { User: var stored } ) return AuthReply.Error(404, $"user {name} not found");
        var hash = body.Password is null ? "" : await Task.Run(() => Passwords.Hash(body.Password, settings.PasswordIterations));
        var user = new LocalUser(name, body.Role ?? stored.Role, body.Disable ?? stored.Disabled, hash,
            body.FirstName ?? stored.FirstName, body.LastName ?? stored.LastName);
        return Reply(await authenticator.AskAsync(new SaveUser(user, CreateOnly: false)));
    }

    private async Task<AuthReply> AddAuthorization(HttpContext http)
    {
        var (body, error) = await Read<AuthorizationRequest>(http, "authorization");
        if (body is null) return error!;
        if (string.IsNullOrEmpty(body.PrincipalName)) return AuthReply.Error(400, "authorization: principalName is required");
        if (body.Local == false) return AuthReply.Error(400, "authorization: only local users can be authorized (local must be true; there is no LDAP)");
        if (body.Role is not null && body.Role != Roles.Ops)
            return AuthReply.Error(400, $"authorization: role {body.Role} is not a tenant role: tenant authorizations are for role ops (admins see every tenant)");
        if (string.IsNullOrEmpty(body.TenantName)) return AuthReply.Error(400, "authorization: tenantName is required");
        if (!NamePattern().IsMatch(body.TenantName)) return AuthReply.Error(400, $"authorization: tenantName {body.TenantName} is not a tenant name");
        var authorization = new TenantAuthorization(Guid.NewGuid().ToString("N"), body.PrincipalName, Roles.Ops, body.TenantName);
        var reply = Reply(await authenticator.AskAsync(new AddAuthorization(authorization)));
        return reply.Status == 200 ? reply with { Status = 201 } : reply;
    }

    private string? UserProblem(UserRequest body, bool creating)
    {
        if (string.IsNullOrEmpty(body.Username)) return "local user: username is required";
        if (!NamePattern().IsMatch(body.Username)) return $"local user: username {body.Username} may hold only letters, digits, '.', '_' and '-' (1-64)";
        if (creating && string.IsNullOrEmpty(body.Password)) return "local user: password is required";
        if (body.Password is { Length: 0 }) return "local user: password may not be empty";
        if (body.Password is { } password && password.Length > settings.MaxPasswordLength)
            return $"local user: password is longer than {settings.MaxPasswordLength} characters";
        if (creating && body.Role is null) return "local user: role is required (admin or ops)";
        if (body.Role is not null && !Roles.IsValid(body.Role)) return $"local user: role {body.Role} is not admin or ops";
        return null;
    }

    private static async Task<(T? Body, AuthReply? Error)> Read<T>(HttpContext http, string what) where T : class
    {
        if (http.Request.ContentLength > MaxBody) return (null, AuthReply.Error(413, $"{what}: body larger than {MaxBody} bytes"));
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk)) > 0)
            {
                if (buffer.Length + read > MaxBody) return (null, AuthReply.Error(413, $"{what}: body larger than {MaxBody} bytes"));
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException)
        {
            return (null, AuthReply.Error(400, $"{what}: the body could not be read ({ex.Message})"));
        }
        if (buffer.Length == 0) return (null, AuthReply.Error(400, $"{what}: empty body: a JSON object is required"));
        try
        {
            var body = JsonSerializer.Deserialize<T>(buffer.ToArray(), BodyJson);
            return body is null ? (null, AuthReply.Error(400, $"{what}: expected a JSON object, got null")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, AuthReply.Error(400, $"{what}: invalid JSON ({ex.Message.Split('\n')[0].Split(" Path:")[0]})"));
        }
    }

    private static AuthReply Reply(Contiv.Messages.Api.IEntityReply reply) => reply switch
    {
        UserAnswer user => new AuthReply(200, UserJson(user.User)),
        UsersAnswer users => new AuthReply(200, new JsonArray([.. users.Users.Select(u => (JsonNode)UserJson(u))])),
        UserRemoved or AuthorizationRemoved => new AuthReply(204, null),
        AuthorizationAnswer authorization => new AuthReply(200, AuthorizationJson(authorization.Authorization)),
        AuthorizationsAnswer list => new AuthReply(200, new JsonArray([.. list.Authorizations.Select(a => (JsonNode)AuthorizationJson(a))])),
        ApiError error => AuthReply.Error(error),
        _ => AuthReply.Error(500, $"unexpected answer {reply.GetType().Name}"),
    };

    /// <summary>The proxy's local user shape: never the hash.</summary>
    private static JsonObject UserJson(LocalUser user) => new()
    {
        ["username"] = user.Username,
        ["role"] = user.Role,
        ["disable"] = user.Disabled,
        ["first_name"] = user.FirstName ?? "",
        ["last_name"] = user.LastName ?? "",
    };

    private static JsonObject AuthorizationJson(TenantAuthorization authorization) => new()
    {
        ["AuthzUUID"] = authorization.Id,
        ["PrincipalName"] = authorization.PrincipalName,
        ["Local"] = true,
        ["Role"] = authorization.Role,
        ["TenantName"] = authorization.TenantName,
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();

    private sealed record LoginRequest(string? Username, string? Password);

    private sealed record UserRequest(
        string? Username,
        string? Password,
        string? Role,
        bool? Disable,
        [property: JsonPropertyName("first_name")] string? FirstName,
        [property: JsonPropertyName("last_name")] string? LastName);

    private sealed record AuthorizationRequest(string? PrincipalName, bool? Local, string? Role, string? TenantName);
}

/// <summary>What an auth proxy route answers: a status and a JSON document (none for 204).</summary>
public sealed record AuthReply(int Status, JsonNode? Body)
{
    public static AuthReply Error(int status, string message) => new(status, new JsonObject { ["error"] = message });

    public static AuthReply Error(ApiError error) => Error(error.HttpStatus, error.Message);

    public async Task WriteAsync(HttpContext http)
    {
        http.Response.StatusCode = Status;
        if (Body is null) return;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(Body.ToJsonString());
    }
}
