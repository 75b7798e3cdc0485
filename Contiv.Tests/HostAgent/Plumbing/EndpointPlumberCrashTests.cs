using Contiv.HostAgent.Plumbing;
using Contiv.Tests.Ovs;
using Xunit;
using Xunit.Abstractions;
using static Contiv.Tests.HostAgent.Plumbing.PlumbingLab;

namespace Contiv.Tests.HostAgent.Plumbing;

/// <summary>An agent that died half-way: what it left is listed, and the next attach finishes the job.</summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class EndpointPlumberCrashTests(ITestOutputHelper output)
{
    /// <summary>
    /// For every n, an attach dies right after its n-th command (nothing undone: a dead agent undoes
    /// nothing), and a second attach must still produce a working endpoint. "fresh": the first attach of
    /// the endpoint. "veth lost": its veth vanished while the OVS port stayed, so the dying attach makes
    /// a new veth that the stale port must not be left pointing past.
    /// </summary>
    [Theory]
    [InlineData("fresh")]
    [InlineData("veth lost")]
    public async Task A_crash_after_any_command_of_an_attach_is_finished_by_the_next_attach(string start)
    {
        await using var lab = await StartAsync();
        await lab.Plumber.AttachAsync(Attachment(lab.NewEndpointId(), await lab.NewNamespaceAsync(), "10.77.0.3", "02:02:0a:4d:00:03"));

        async Task<EndpointAttachment> Prepare()
        {
            var a = Attachment(lab.NewEndpointId(), await lab.NewNamespaceAsync(), "10.77.0.2", "02:02:0a:4d:00:02");
            if (start == "veth lost")
            {
                await lab.Plumber.AttachAsync(a);
                await Shell.CheckedAsync(["ip", "link", "del", "dev", a.HostInterface], default);
            }
            return a;
        }

        var counting = new CrashingRunner();
        var probe = await Prepare();
        await lab.PlumberWith(counting).AttachAsync(probe);
        await lab.Plumber.DetachAsync(probe.EndpointId, probe.NetnsPath);
        output.WriteLine($"an attach from \"{start}\" runs {counting.Ran} commands");
        Assert.True(counting.Ran >= 4, $"only {counting.Ran} commands?");

        for (var survives = 0; survives < counting.Ran; survives++)
        {
            var a = await Prepare();
            var crash = await Assert.ThrowsAsync<PlumbingException>(() => lab.PlumberWith(new CrashingRunner(survives)).AttachAsync(a));
            Assert.Contains("simulated crash", crash.Message);

            var ofport = await lab.Plumber.AttachAsync(a);

            await EndpointPlumberTests.AssertPlumbedAsync(lab, a, ofport);
            Assert.True(await PingAsync(a.NetnsPath!, "10.77.0.3", quick: true), $"after a crash following command {survives}");
            await lab.Plumber.DetachAsync(a.EndpointId, a.NetnsPath);
            Assert.False(await HostLinkExistsAsync(a.HostInterface));
            Assert.False(await LinkExistsInAsync(a.NetnsPath!, "eth0"));
        }
    }

    /// <summary>
    /// A fresh pair's namespace side and its OVS port are made at once; a crash before both are done leaves the
    /// port marked attaching. A restarted agent must not take that for a finished endpoint (its reconcile adopts
    /// complete ones as they are), and the next attach finishes it.
    /// </summary>
    [Fact]
    public async Task A_port_left_attaching_by_a_crash_is_not_complete_and_the_next_attach_finishes_it()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await Shell.CheckedAsync(["ip", "link", "add", a.HostInterface, "up", "type", "veth", "peer", "name", "eth0", "netns", ns], default);
        var ifindex = System.Text.Json.JsonDocument.Parse(await Shell.CheckedAsync(["ip", "-j", "link", "show", "dev", a.HostInterface], default))
            .RootElement[0].GetProperty("ifindex").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await lab.Bridges.EnsurePortAsync(lab.Bridge, Contiv.Dataplane.Ovs.Ovsdb.OvsPortSpec.System(a.HostInterface, externalIds: new Dictionary<string, string>
        {
            [EndpointPlumber.EndpointIdKey] = a.EndpointId, [EndpointPlumber.ContainerIdKey] = a.ContainerId,
            [EndpointPlumber.IfIndexKey] = ifindex, [EndpointPlumber.AttachingKey] = "true",
        }));

        var left = Assert.Single(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface);
        Assert.True(left.OnBridge && left.HasVeth && left.Attaching, left.ToString());
        Assert.False(left.IsComplete);

        var ofport = await lab.Plumber.AttachAsync(a);
        await EndpointPlumberTests.AssertPlumbedAsync(lab, a, ofport);
        Assert.True(Assert.Single(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface).IsComplete);

        // An attach that runs to its end leaves no mark.
        var fresh = Attachment(lab.NewEndpointId(), await lab.NewNamespaceAsync(), "10.77.0.3", "02:02:0a:4d:00:03");
        await lab.Plumber.AttachAsync(fresh);
        Assert.True(Assert.Single(await lab.Plumber.ListAsync(), e => e.HostInterface == fresh.HostInterface).IsComplete);
    }

    [Fact]
    public async Task A_veth_pair_made_before_a_crash_is_listed_as_an_orphan_and_adopted_by_the_attach()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await Shell.CheckedAsync(["ip", "link", "add", a.HostInterface, "type", "veth", "peer", "name", a.TemporaryPeer], default);

        var orphan = Assert.Single(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface);
        Assert.Equal(new PlumbedEndpoint(a.HostInterface, null, null, null, OnBridge: false, HasVeth: true), orphan);
        Assert.False(orphan.IsComplete);

        var ofport = await lab.Plumber.AttachAsync(a);
        await EndpointPlumberTests.AssertPlumbedAsync(lab, a, ofport);
    }

    [Fact]
    public async Task A_peer_moved_but_not_renamed_before_a_crash_is_renamed_by_the_attach()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await Shell.CheckedAsync(["ip", "link", "add", a.HostInterface, "type", "veth", "peer", "name", a.TemporaryPeer], default);
        await Shell.CheckedAsync(["ip", "link", "set", "dev", a.TemporaryPeer, "netns", ns], default);
        await InCheckedAsync(ns, "ip", "link", "set", "dev", a.TemporaryPeer, "up");

        var ofport = await lab.Plumber.AttachAsync(a);
        await EndpointPlumberTests.AssertPlumbedAsync(lab, a, ofport);
    }

    [Fact]
    public async Task A_port_whose_veth_is_gone_is_listed_and_made_whole_by_the_attach()
    {
        await using var lab = await StartAsync();
        var (ns, peerNs) = (await lab.NewNamespaceAsync(), await lab.NewNamespaceAsync());
        await lab.Plumber.AttachAsync(Attachment(lab.NewEndpointId(), peerNs, "10.77.0.3", "02:02:0a:4d:00:03"));
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await lab.Plumber.AttachAsync(a);
        await Shell.CheckedAsync(["ip", "link", "del", "dev", a.HostInterface], default);

        var stale = Assert.Single(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface);
        Assert.Equal(a.EndpointId, stale.EndpointId);
        Assert.Equal(a.ContainerId, stale.ContainerId);
        Assert.True(stale.OnBridge);
        Assert.False(stale.HasVeth);

        var ofport = await lab.Plumber.AttachAsync(a);
        await EndpointPlumberTests.AssertPlumbedAsync(lab, a, ofport);
        Assert.True(await PingAsync(ns, "10.77.0.3"));
    }

    [Fact]
    public async Task An_orphan_is_removed_by_its_host_interface_name()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await Shell.CheckedAsync(["ip", "link", "add", a.HostInterface, "type", "veth", "peer", "name", a.TemporaryPeer], default);
        await Shell.CheckedAsync(["ip", "link", "set", "dev", a.TemporaryPeer, "netns", ns], default);

        var orphan = Assert.Single(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface && !e.OnBridge);
        await lab.Plumber.DetachInterfaceAsync(orphan.HostInterface, null);

        Assert.False(await HostLinkExistsAsync(a.HostInterface));
        Assert.False(await LinkExistsInAsync(ns, a.TemporaryPeer));
        Assert.DoesNotContain(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface);
    }
}
