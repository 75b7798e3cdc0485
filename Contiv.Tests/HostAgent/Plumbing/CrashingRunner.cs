using Contiv.HostAgent.Plumbing;

namespace Contiv.Tests.HostAgent.Plumbing;

/// <summary>
/// Runs commands for real until <see cref="Survives"/> of them have run, then "dies": every later
/// command, the plumber's undo included, fails without running. What the host holds afterwards is what
/// an agent killed right after that command leaves behind. Without a limit it only counts.
/// </summary>
internal sealed class CrashingRunner(int? survives = null) : CommandRunner(TimeSpan.FromSeconds(20))
{
    public int? Survives { get; } = survives;
    public int Ran { get; private set; }

    public override async Task<CommandResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        if (Ran >= Survives) throw new PlumbingException($"simulated crash before `{string.Join(' ', command)}`");
        Ran++;
        return await base.RunAsync(command, cancellationToken);
    }
}
