namespace Contiv.Messages.Serialization;

/// <summary>Marks what goes into the journal or snapshot store: bound to <see cref="ContivSerializer"/> in HOCON.</summary>
public interface IContivPersisted;
