using Contiv.Messages.Api;
using Contiv.Messages.Model;

namespace Contiv.Master.Entities;

/// <summary>
/// What a decision answers about an API object, as a marker: the shell turns it into the object's view as of
/// the state its events made (or its deletion), so a pure decide function never renders and one marker means
/// one thing in every entity.
/// </summary>
public abstract record ViewReply : IEntityReply;

/// <summary>Answer with the object's view once the events are applied.</summary>
public sealed record RenderView(ObjectKind Kind, string Key) : ViewReply;

/// <summary>The object is gone; answer its key as a JSON string.</summary>
public sealed record DeletedKey(string Key) : ViewReply;
