using System.ComponentModel;
using System.Diagnostics;

namespace Contiv.HostAgent.Plumbing;

/// <summary>The outcome of one command; <see cref="Display"/> is how errors name it.</summary>
public sealed record CommandResult(IReadOnlyList<string> Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    public string Display => string.Join(' ', Command);
}

/// <summary>
/// Runs ip, nsenter and ethtool: arguments as a list (never a shell string, so no name or path can be
/// taken for syntax), output captured, bounded by a timeout after which the child is killed.
/// Virtual so tests can make it fail at a chosen step, as a crashing agent would.
/// </summary>
public class CommandRunner(TimeSpan timeout)
{
    public TimeSpan Timeout => timeout;

    /// <summary>Runs the command; a non-zero exit is a result, not an exception. Throws
    /// <see cref="PlumbingException"/> if it cannot start or outlives the timeout.</summary>
    public virtual async Task<CommandResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1)) psi.ArgumentList.Add(arg);
        // ethtool's and ip's text is parsed: it must not come translated.
        psi.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new PlumbingException($"cannot start {command[0]}");
        }
        catch (Win32Exception e)
        {
            throw new PlumbingException($"cannot run {command[0]} (needed for `{string.Join(' ', command)}`): {e.Message}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                // Our own child, by its handle: nothing else is touched.
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                cancellationToken.ThrowIfCancellationRequested();
                throw new PlumbingException($"`{string.Join(' ', command)}` did not finish within {timeout.TotalSeconds:0.#} s");
            }
            return new CommandResult(command, process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Runs the command and returns its standard output; a non-zero exit throws a
    /// <see cref="PlumbingException"/> naming the command and its stderr.</summary>
    public async Task<string> CheckedAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await RunAsync(command, cancellationToken);
        return result.Succeeded ? result.Stdout : throw Failed(result);
    }

    /// <summary>The exception for a command that exited non-zero: the command and its stderr.</summary>
    public static PlumbingException Failed(CommandResult result)
    {
        var stderr = result.Stderr.Trim();
        if (stderr.Length == 0) stderr = result.Stdout.Trim();
        return new PlumbingException($"`{result.Display}` failed (exit {result.ExitCode}): {stderr}", result.Display, stderr);
    }
}
