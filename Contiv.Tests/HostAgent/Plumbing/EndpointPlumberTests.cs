using Contiv.HostAgent.Plumbing;
using Contiv.Tests.Ovs;
using Xunit;
using static Contiv.Tests.HostAgent.Plumbing.PlumbingLab;

namespace Contiv.Tests.HostAgent.Plumbing;

/// <summary>The plumber against a real ovs-vswitchd and real namespaces: attach, repeat, detach.</summary>
[Trait("Category", "Ovs")]
[Trait("Category", "Netns")]
[Collection(OvsCollection.Name)]
public sealed class EndpointPlumberTests
{
    [Fact]
    public async Task Two_attached_endpoints_ping_each_other_and_are_configured_as_asked()
    {
        await using var lab = await StartAsync();
        var (nsA, nsB) = (await lab.NewNamespaceAsync(), await lab.NewNamespaceAsync());
        var a = Attachment(lab.NewEndpointId(), nsA, "10.77.0.2", "02:02:0a:4d:00:02");
        var b = Attachment(lab.NewEndpointId(), nsB, "10.77.0.3", "02:02:0a:4d:00:03", mtu: 1400);

        var ofA = await lab.Plumber.AttachAsync(a);
        var ofB = await lab.Plumber.AttachAsync(b);

        Assert.True(ofA > 0 && ofB > 0 && ofA != ofB, $"ofports {ofA}, {ofB}");
        Assert.True(await PingAsync(nsA, "10.77.0.3"), "a should reach b through the bridge");
        Assert.True(await PingAsync(nsB, "10.77.0.2"), "b should reach a through the bridge");

        await AssertPlumbedAsync(lab, a, ofA);
        await AssertPlumbedAsync(lab, b, ofB);
    }

    /// <summary>Everything an attach promises, read back from the kernel and OVSDB.</summary>
    internal static async Task AssertPlumbedAsync(PlumbingLab lab, EndpointAttachment a, int ofport)
    {
        var ns = a.NetnsPath!;
        var link = await InCheckedAsync(ns, "ip", "-o", "link", "show", "dev", "eth0");
        Assert.Contains($"mtu {a.Mtu} ", link);
        Assert.Contains("state UP", link);
        Assert.Contains($"link/ether {a.Mac}", link);
        var addresses = await InCheckedAsync(ns, "ip", "-o", "-4", "addr", "show", "dev", "eth0");
        Assert.Single(addresses.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"inet {a.Cidr} ", addresses);
        Assert.Contains("<LOOPBACK,UP", await InCheckedAsync(ns, "ip", "-o", "link", "show", "dev", "lo"));
        if (a.Gateway is not null)
            Assert.Equal($"default via {a.Gateway} dev eth0", (await InCheckedAsync(ns, "ip", "-4", "route", "show", "default")).Trim());
        Assert.Contains("tx-checksumming: off", await InCheckedAsync(ns, "ethtool", "-k", "eth0"));
        Assert.False(await LinkExistsInAsync(ns, a.TemporaryPeer), "the peer is renamed, not copied");

        var host = (await Shell.CheckedAsync(["ip", "-o", "link", "show", "dev", a.HostInterface], default));
        Assert.Contains($"mtu {a.Mtu} ", host);
        Assert.Contains(",UP", host);
        Assert.False(await HostLinkExistsAsync(a.TemporaryPeer));

        var port = Assert.Single(await lab.PortsNamedAsync(a.HostInterface));
        Assert.Equal(ofport, port.OfPort);
        Assert.Equal(a.EndpointId, port.ExternalIds[EndpointPlumber.EndpointIdKey]);
        Assert.Equal(a.ContainerId, port.ExternalIds[EndpointPlumber.ContainerIdKey]);
        Assert.Equal(host.Split(':')[0], port.ExternalIds[EndpointPlumber.IfIndexKey]);
        Assert.Null(port.Error);

        var listed = Assert.Single(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface);
        Assert.Equal(new PlumbedEndpoint(a.HostInterface, a.EndpointId, a.ContainerId, ofport, true, true), listed);
    }

    [Fact]
    public async Task Attaching_twice_gives_the_same_port_and_duplicates_nothing()
    {
        await using var lab = await StartAsync();
        var (nsA, nsB) = (await lab.NewNamespaceAsync(), await lab.NewNamespaceAsync());
        var a = Attachment(lab.NewEndpointId(), nsA, "10.77.0.2", "02:02:0a:4d:00:02");
        var b = Attachment(lab.NewEndpointId(), nsB, "10.77.0.3", "02:02:0a:4d:00:03");
        await lab.Plumber.AttachAsync(b);

        var first = await lab.Plumber.AttachAsync(a);
        var second = await lab.Plumber.AttachAsync(a);

        Assert.Equal(first, second);
        await AssertPlumbedAsync(lab, a, first);
        var inside = await InCheckedAsync(nsA, "ip", "-o", "link", "show");
        Assert.Equal(2, inside.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // lo and eth0
        Assert.Equal(2, (await lab.Plumber.ListAsync()).Count(e => e.HostInterface == a.HostInterface || e.HostInterface == b.HostInterface));
        Assert.True(await PingAsync(nsA, "10.77.0.3"));
    }

    [Fact]
    public async Task Detaching_twice_is_fine_and_leaves_no_port_and_no_veth()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await lab.Plumber.AttachAsync(a);

        await lab.Plumber.DetachAsync(a.EndpointId, ns);
        await lab.Plumber.DetachAsync(a.EndpointId, ns);

        Assert.Empty(await lab.PortsNamedAsync(a.HostInterface));
        Assert.False(await HostLinkExistsAsync(a.HostInterface));
        Assert.False(await LinkExistsInAsync(ns, "eth0"));
        Assert.DoesNotContain(await lab.Plumber.ListAsync(), e => e.HostInterface == a.HostInterface);
    }

    [Fact]
    public async Task Detaching_what_was_never_attached_or_from_a_namespace_that_is_gone_is_fine()
    {
        await using var lab = await StartAsync();
        await lab.Plumber.DetachAsync(lab.NewEndpointId(), null);
        await lab.Plumber.DetachAsync(lab.NewEndpointId(), "/var/run/netns/no-such-namespace-" + Guid.NewGuid().ToString("N")[..8]);

        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await lab.Plumber.AttachAsync(a);
        await Shell.CheckedAsync(["ip", "netns", "del", ns.Split('/')[^1]], default);
        await lab.Plumber.DetachAsync(a.EndpointId, ns);

        Assert.Empty(await lab.PortsNamedAsync(a.HostInterface));
        Assert.False(await HostLinkExistsAsync(a.HostInterface));
    }

    [Fact]
    public async Task A_namespace_known_only_as_proc_pid_ns_net_works_too()
    {
        await using var lab = await StartAsync();
        var (path, process) = await lab.NewProcessNamespaceAsync();
        var named = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), path, "10.77.0.2", "02:02:0a:4d:00:02");
        var b = Attachment(lab.NewEndpointId(), named, "10.77.0.3", "02:02:0a:4d:00:03");

        var ofA = await lab.Plumber.AttachAsync(a);
        await lab.Plumber.AttachAsync(b);
        Assert.Equal(ofA, await lab.Plumber.AttachAsync(a));

        await AssertPlumbedAsync(lab, a, ofA);
        Assert.True(await PingAsync(path, "10.77.0.3"));
        Assert.True(await PingAsync(named, "10.77.0.2"));

        await lab.Plumber.DetachAsync(a.EndpointId, path);
        Assert.False(await HostLinkExistsAsync(a.HostInterface));
        Assert.False(await LinkExistsInAsync(path, "eth0"));
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task Attaching_an_endpoint_to_another_namespace_moves_it_there()
    {
        await using var lab = await StartAsync();
        var (old, now, peer) = (await lab.NewNamespaceAsync(), await lab.NewNamespaceAsync(), await lab.NewNamespaceAsync());
        var id = lab.NewEndpointId();
        await lab.Plumber.AttachAsync(Attachment(id, old, "10.77.0.2", "02:02:0a:4d:00:02"));
        await lab.Plumber.AttachAsync(Attachment(lab.NewEndpointId(), peer, "10.77.0.3", "02:02:0a:4d:00:03"));

        var moved = Attachment(id, now, "10.77.0.2", "02:02:0a:4d:00:02");
        var ofport = await lab.Plumber.AttachAsync(moved);

        Assert.False(await LinkExistsInAsync(old, "eth0"), "the old namespace's end went with the old pair");
        await AssertPlumbedAsync(lab, moved, ofport);
        Assert.True(await PingAsync(now, "10.77.0.3"));
    }

    [Fact]
    public async Task A_changed_address_replaces_the_old_one()
    {
        await using var lab = await StartAsync();
        var ns = await lab.NewNamespaceAsync();
        var a = Attachment(lab.NewEndpointId(), ns, "10.77.0.2", "02:02:0a:4d:00:02");
        await lab.Plumber.AttachAsync(a);

        var changed = a with { Ipv4 = System.Net.IPAddress.Parse("10.77.0.9"), Mac = "02:02:0a:4d:00:09", Mtu = 1300 };
        var ofport = await lab.Plumber.AttachAsync(changed);

        await AssertPlumbedAsync(lab, changed, ofport);
    }
}
