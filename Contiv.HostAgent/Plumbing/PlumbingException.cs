namespace Contiv.HostAgent.Plumbing;

/// <summary>
/// Plumbing an endpoint failed. When a command failed, <see cref="Command"/> and <see cref="Stderr"/>
/// carry it (the message names both too), so the endpoint actor can report the cause as is.
/// </summary>
public sealed class PlumbingException : Exception
{
    public string? Command { get; }
    public string? Stderr { get; }

    public PlumbingException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public PlumbingException(string message, string command, string stderr) : base(message)
    {
        Command = command;
        Stderr = stderr;
    }
}
