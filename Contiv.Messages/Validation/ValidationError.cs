namespace Contiv.Messages.Validation;

/// <summary>A refused field: its JSON name and a message in the original's style, e.g. <c>subnet string invalid format</c>.</summary>
public sealed record ValidationError(string Field, string Message)
{
    public override string ToString() => Message;
}
