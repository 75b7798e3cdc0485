namespace Contiv.Messages.Api;

/// <summary>
/// An answer an entity gives to a command: the only thing a pure decide function or a saga's last step may
/// conclude besides its events, so a decision's reply is one of a closed, named set and never a bare value.
/// </summary>
public interface IEntityReply;
