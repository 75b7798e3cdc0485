using System.Net;
using Contiv.HostAgent.Plumbing;
using Xunit;

namespace Contiv.Tests.HostAgent.Plumbing;

public sealed class EndpointNamesTests
{
    [Fact]
    public void Names_are_derived_from_the_id_alone_and_fit_the_kernel_limit()
    {
        var id = "3f2a9c0e5b7d41e8a6c2d9f0b1e4a7c3";
        var host = EndpointNames.HostInterface(id);

        Assert.Equal(host, EndpointNames.HostInterface(id));
        Assert.NotEqual(host, EndpointNames.HostInterface(id + "x"));
        Assert.Matches("^vc[0-9a-f]{10}$", host);
        Assert.True(host.Length <= 15);
        Assert.Equal("vp" + host[2..], EndpointNames.TemporaryPeer(id));
        Assert.Equal(EndpointNames.TemporaryPeer(id), EndpointNames.PeerOf(host));
        Assert.True(EndpointNames.IsHostInterface(host));
        Assert.False(EndpointNames.IsHostInterface("vc12345"));
        Assert.False(EndpointNames.IsHostInterface("vethabcdef0123"));
        Assert.False(EndpointNames.IsHostInterface("vcABCDEF0123"));
        Assert.Throws<ArgumentException>(() => EndpointNames.PeerOf("eth0"));
    }

    private static EndpointAttachment Valid() =>
        new("ep1", "c1", "/var/run/netns/x", IPAddress.Parse("10.1.0.2"), 24, "02:02:0a:01:00:02", 1450, IPAddress.Parse("10.1.0.1"));

    [Fact]
    public void An_attachment_is_checked_before_anything_is_run()
    {
        Valid().Validate();
        Assert.Equal("10.1.0.2/24", Valid().Cidr);
        Assert.Equal("eth0", Valid().InterfaceName);
        Assert.Throws<ArgumentException>(() => (Valid() with { NetnsPath = "x" }).Validate());
        Assert.Throws<ArgumentException>(() => (Valid() with { Ipv4 = IPAddress.IPv6Loopback }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Valid() with { PrefixLength = 33 }).Validate());
        Assert.Throws<ArgumentException>(() => (Valid() with { Mac = "02:02:0a:01:00" }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Valid() with { Mtu = 10 }).Validate());
        Assert.Throws<ArgumentException>(() => (Valid() with { InterfaceName = "a-name-longer-than-15" }).Validate());
        Assert.Throws<ArgumentException>(() => (Valid() with { EndpointId = "" }).Validate());
    }
}
