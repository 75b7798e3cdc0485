using Contiv.Messages.Model;

namespace Contiv.Messages.Api;

/// <summary>Requests the gateway routes to the entity that owns an object; each is answered with an <see cref="ApiReply"/>.</summary>
public interface IObjectRequest : Serialization.IContivWire
{
    ObjectKind Kind { get; }
}

/// <summary>Create-or-update (POST and PUT are the same in v1).</summary>
public sealed record SaveObject(IConfigObject Config) : IObjectRequest
{
    public ObjectKind Kind => Config.Kind;
}

public sealed record DeleteObject(ObjectKind Kind, string Key) : IObjectRequest;

public sealed record GetObject(ObjectKind Kind, string Key) : IObjectRequest;

public sealed record InspectObject(ObjectKind Kind, string Key) : IObjectRequest;

/// <param name="OnlyTenants">the tenants whose objects the caller may see (an ops user's); null: every tenant</param>
public sealed record ListObjects(ObjectKind Kind, Collections.ValueArray<string>? OnlyTenants = null) : IObjectRequest;
