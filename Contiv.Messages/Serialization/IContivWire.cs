namespace Contiv.Messages.Serialization;

/// <summary>
/// Marks a message that crosses between cluster nodes (agents and masters). Like persisted types,
/// each has an explicit manifest in <see cref="ContivSerializer"/>, so nodes of different builds
/// agree on names rather than on CLR types.
/// </summary>
public interface IContivWire;
