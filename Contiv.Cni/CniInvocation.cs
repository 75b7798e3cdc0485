namespace Contiv.Cni;

/// <summary>What the runtime put in the environment: the command, the attachment, and CNI_ARGS.</summary>
public sealed record CniInvocation(string Command, string? ContainerId, string? Netns, string? IfName, IReadOnlyDictionary<string, string> Args)
{
    public static readonly string[] Commands = ["ADD", "DEL", "CHECK", "VERSION", "STATUS", "GC"];

    /// <summary>The attachment's id at the agent: one per container and interface.</summary>
    public string EndpointId => $"{ContainerId}.{IfName}";

    public static CniInvocation FromEnvironment(Func<string, string?> env)
    {
        var command = env("CNI_COMMAND");
        if (string.IsNullOrEmpty(command))
            throw new CniError(CniError.InvalidEnvironment, "CNI_COMMAND is not set: run contiv-cni the way a container runtime does (CNI_COMMAND=ADD|DEL|CHECK|VERSION|STATUS|GC)");
        if (!Commands.Contains(command))
            throw new CniError(CniError.InvalidEnvironment, $"CNI_COMMAND {command} is not a CNI command: ADD, DEL, CHECK, VERSION, STATUS or GC");
        var invocation = new CniInvocation(command, Empty(env("CNI_CONTAINERID")), Empty(env("CNI_NETNS")), Empty(env("CNI_IFNAME")), ParseArgs(env("CNI_ARGS")));
        invocation.Validate();
        return invocation;
    }

    private void Validate()
    {
        if (Command is not ("ADD" or "DEL" or "CHECK")) return;
        if (ContainerId is null) throw new CniError(CniError.InvalidEnvironment, $"CNI_CONTAINERID is required for {Command}");
        if (!ContainerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || ContainerId.Length > 112)
            throw new CniError(CniError.InvalidEnvironment, $"CNI_CONTAINERID {ContainerId}: 1-112 letters, digits, '.', '_' or '-'");
        if (IfName is null) throw new CniError(CniError.InvalidEnvironment, $"CNI_IFNAME is required for {Command}");
        if (IfName.Length > 15 || IfName.Any(c => c is '/' or ':' or ' ' || char.IsControl(c)) || IfName is "." or "..")
            throw new CniError(CniError.InvalidEnvironment, $"CNI_IFNAME {IfName}: an interface name of 1-15 characters without '/', ':' or spaces");
        // DEL may come without a namespace (the runtime's second DEL after the sandbox is gone).
        if (Command != "DEL" && Netns is null) throw new CniError(CniError.InvalidEnvironment, $"CNI_NETNS is required for {Command}");
        if (Netns is not null && !Path.IsPathFullyQualified(Netns)) throw new CniError(CniError.InvalidEnvironment, $"CNI_NETNS {Netns}: must be an absolute path");
    }

    /// <summary>CNI_ARGS: <c>K=V;K=V</c> in any order.</summary>
    public static IReadOnlyDictionary<string, string> ParseArgs(string? text)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new CniError(CniError.InvalidEnvironment, $"CNI_ARGS: '{pair}' is not KEY=VALUE (pairs are separated by ';')");
            args[pair[..equals]] = pair[(equals + 1)..];
        }
        return args;
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
