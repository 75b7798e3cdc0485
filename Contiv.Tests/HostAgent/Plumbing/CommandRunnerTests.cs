using Contiv.HostAgent.Plumbing;
using Xunit;

namespace Contiv.Tests.HostAgent.Plumbing;

public sealed class CommandRunnerTests
{
    [Fact]
    public async Task A_failing_command_is_named_with_its_stderr()
    {
        var runner = new CommandRunner(TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<PlumbingException>(() => runner.CheckedAsync(["ip", "link", "show", "dev", "no-such-dev0"], default));
        Assert.Equal("ip link show dev no-such-dev0", e.Command);
        Assert.Contains("does not exist", e.Stderr);
        Assert.Contains("`ip link show dev no-such-dev0` failed (exit 1)", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public async Task Arguments_are_passed_as_they_are_not_through_a_shell()
    {
        var runner = new CommandRunner(TimeSpan.FromSeconds(10));
        Assert.Equal("a b; echo $HOME\n", await runner.CheckedAsync(["printf", "%s\\n", "a b; echo $HOME"], default));
    }

    [Fact]
    public async Task A_command_outliving_the_timeout_is_killed_and_reported()
    {
        var runner = new CommandRunner(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<PlumbingException>(() => runner.RunAsync(["sleep", "30"], default));
        Assert.Contains("sleep 30", e.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_missing_tool_is_a_plumbing_error()
    {
        var runner = new CommandRunner(TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<PlumbingException>(() => runner.RunAsync(["no-such-tool-xyz", "a"], default));
        Assert.Contains("no-such-tool-xyz", e.Message);
    }
}
