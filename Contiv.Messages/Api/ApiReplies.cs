using System.Collections.Immutable;
using Contiv.Messages.Model;

namespace Contiv.Messages.Api;

/// <summary>The REST status an error maps to.</summary>
public enum ApiErrorKind
{
    /// <summary>400: the request itself is wrong.</summary>
    Invalid,
    /// <summary>404: the object, or one it references, does not exist.</summary>
    NotFound,
    /// <summary>409: conflicts with existing state (overlap, in use, immutable field).</summary>
    Conflict,
    /// <summary>503: a part the request needs did not answer in time.</summary>
    Unavailable,
    /// <summary>401: no token, or one that is unknown, expired or revoked.</summary>
    Unauthenticated,
    /// <summary>403: the caller's role may not do this.</summary>
    Forbidden,
}

/// <summary>Every answer an entity gives to an API request.</summary>
public abstract record ApiReply : Serialization.IContivWire, IEntityReply;

/// <summary>Success with a JSON document, already rendered as the v1 API writes it.</summary>
public sealed record ApiOk(string Json) : ApiReply;

/// <summary>A tenant's write is durable (or was already true): the gateway answers with the object's view once its
/// master's read model shows <paramref name="Version"/>, so whoever reads there next sees the write.</summary>
public sealed record ObjectSaved(ObjectKind Kind, string Key, Reads.ReadVersion Version) : ApiReply;

/// <summary>A tenant's delete is durable: answered as the object's key once the read model shows <paramref name="Version"/>.</summary>
public sealed record ObjectDeleted(string Key, Reads.ReadVersion Version) : ApiReply;

/// <summary>Success of a list request: one rendered JSON object per item.</summary>
public sealed record ApiItems(ImmutableArray<string> Items) : ApiReply;

public sealed record ApiError(ApiErrorKind Kind, string Message) : ApiReply
{
    /// <summary>The HTTP status this error answers with, on the REST API and the agent's local API alike.</summary>
    public int HttpStatus => Kind switch
    {
        ApiErrorKind.Invalid => 400,
        ApiErrorKind.NotFound => 404,
        ApiErrorKind.Conflict => 409,
        ApiErrorKind.Unauthenticated => 401,
        ApiErrorKind.Forbidden => 403,
        _ => 503,
    };

    public static ApiError Invalid(string message) => new(ApiErrorKind.Invalid, message);
    public static ApiError NotFound(string message) => new(ApiErrorKind.NotFound, message);
    public static ApiError Conflict(string message) => new(ApiErrorKind.Conflict, message);
    public static ApiError Unavailable(string message) => new(ApiErrorKind.Unavailable, message);
    public static ApiError Unauthenticated(string message) => new(ApiErrorKind.Unauthenticated, message);
    public static ApiError Forbidden(string message) => new(ApiErrorKind.Forbidden, message);
}
