using Contiv.HostAgent.Plumbing;
using Contiv.Tests.Ovs;
using Xunit;
using static Contiv.Tests.HostAgent.Plumbing.PlumbingLab;

namespace Contiv.Tests.HostAgent.Plumbing;

/// <summary>Attaches that cannot succeed say why, and leave nothing behind.</summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class EndpointPlumberErrorTests
{
    [Fact]
    public async Task A_namespace_path_that_does_not_exist_is_named_in_the_error_and_nothing_is_made()
    {
        await using var lab = await StartAsync();
        var path = "/var/run/netns/no-such-namespace-" + Guid.NewGuid().ToString("N")[..8];
        var a = Attachment(lab.NewEndpointId(), path, "10.77.0.2", "02:02:0a:4d:00:02");

        var e = await Assert.ThrowsAsync<PlumbingException>(() => lab.Plumber.AttachAsync(a));

        Assert.Contains(path, e.Message);
        await AssertNothingLeftAsync(lab, a);
    }

    [Fact]
    public async Task A_path_that_is_no_namespace_fails_before_anything_is_made()
    {
        await using var lab = await StartAsync();
        var path = Path.Combine(Path.GetTempPath(), "not-a-netns-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(path, "");
        try
        {
            var a = Attachment(lab.NewEndpointId(), path, "10.77.0.2", "02:02:0a:4d:00:02");
            var e = await Assert.ThrowsAsync<PlumbingException>(() => lab.Plumber.AttachAsync(a));
            Assert.Equal($"{path} is not a network namespace: it is an ordinary file", e.Message);
            await AssertNothingLeftAsync(lab, a);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_step_failing_half_way_names_its_command_and_stderr_and_the_attach_is_undone()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        // Not on eth0's subnet: the kernel refuses the default route, after the veth was made and moved.
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02", gateway: "10.99.0.1");

        var e = await Assert.ThrowsAsync<PlumbingException>(() => lab.Plumber.AttachAsync(a));

        Assert.Contains("ip route replace default via 10.99.0.1 dev eth0", e.Message);
        Assert.Contains("Nexthop has invalid gateway", e.Message);
        Assert.Contains("Nexthop has invalid gateway", e.Stderr);
        await AssertNothingLeftAsync(lab, a);
        Assert.False(await LinkExistsInAsync(ns, "eth0"));
        Assert.False(await LinkExistsInAsync(ns, a.TemporaryPeer));
    }

    [Fact]
    public async Task A_namespace_whose_interface_name_is_taken_is_refused_and_its_interface_left_alone()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        // A veth too, so it is its peer that tells it is not ours.
        await InCheckedAsync(ns, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "other0");
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");

        var e = await Assert.ThrowsAsync<PlumbingException>(() => lab.Plumber.AttachAsync(a));

        Assert.Contains("eth0", e.Message);
        Assert.Contains(ns, e.Message);
        await AssertNothingLeftAsync(lab, a);
        Assert.Contains("eth0@other0", await InCheckedAsync(ns, "ip", "-o", "link", "show", "dev", "eth0"));
    }

    [Fact]
    public async Task A_bridge_that_does_not_exist_fails_at_the_port_and_the_veth_is_removed_again()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        var plumber = new EndpointPlumber(lab.Bridges, "no-such-br");

        var e = await Assert.ThrowsAsync<PlumbingException>(() => plumber.AttachAsync(a));

        Assert.Contains("no-such-br", e.Message);
        await AssertNothingLeftAsync(lab, a);
        Assert.False(await LinkExistsInAsync(ns, "eth0"));
    }

    [Fact]
    public async Task A_cancelled_attach_removes_what_it_made()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        using var cancel = new CancellationTokenSource();
        // Cancelled once the pair exists, its peer inside (the host end read, the pair made, ...).
        var runner = new CancellingRunner(cancel, after: 3);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lab.PlumberWith(runner).AttachAsync(a, cancel.Token));

        Assert.True(runner.Ran >= 3);
        await AssertNothingLeftAsync(lab, a);
        Assert.False(await LinkExistsInAsync(ns, "eth0"));
        Assert.False(await LinkExistsInAsync(ns, a.TemporaryPeer));
    }

    /// <summary>Cancels the attach's token once <c>after</c> commands have run.</summary>
    private sealed class CancellingRunner(CancellationTokenSource cancel, int after) : CommandRunner(TimeSpan.FromSeconds(20))
    {
        public int Ran { get; private set; }

        public override Task<CommandResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
        {
            if (++Ran == after) cancel.Cancel();
            return base.RunAsync(command, cancellationToken);
        }
    }

    private static async Task AssertNothingLeftAsync(PlumbingLab lab, EndpointAttachment a)
    {
        Assert.False(await HostLinkExistsAsync(a.HostInterface));
        Assert.False(await HostLinkExistsAsync(a.TemporaryPeer));
        Assert.Empty(await lab.PortsNamedAsync(a.HostInterface));
        Assert.DoesNotContain(await lab.Plumber.ListAsync(), x => x.HostInterface == a.HostInterface);
    }
}
