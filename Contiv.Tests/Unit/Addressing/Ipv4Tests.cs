using Contiv.Messages.Addressing;
using Xunit;

namespace Contiv.Tests.Unit.Addressing;

public sealed class Ipv4Tests
{
    [Fact]
    public void The_mac_of_an_address_is_02_02_and_its_four_bytes()
    {
        Assert.Equal("02:02:0a:01:00:05", Ipv4.MacFor(Ipv4.Parse("10.1.0.5")));
        Assert.Equal("02:02:ff:ff:ff:fe", Ipv4.MacFor(Ipv4.Parse("255.255.255.254")));
    }

    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("10.1.0.5", 0x0A010005u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    public void Addresses_parse_to_host_order_and_format_back(string text, uint value)
    {
        Assert.Equal(value, Ipv4.Parse(text));
        Assert.Equal(text, Ipv4.Format(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.1.0")]
    [InlineData("10.1.0.5.6")]
    [InlineData("10.1.0.256")]
    [InlineData("10.1.0.-1")]
    [InlineData("10.1..5")]
    [InlineData("10.1.0.0005")]
    [InlineData("10.1.0.5/24")]
    public void Malformed_addresses_are_refused(string? text)
    {
        Assert.False(Ipv4.TryParse(text, out _));
    }

    [Fact]
    public void Masks_cover_the_prefix()
    {
        Assert.Equal(0u, Ipv4.Mask(0));
        Assert.Equal(0xFF000000u, Ipv4.Mask(8));
        Assert.Equal(0xFFFFFFF8u, Ipv4.Mask(29));
        Assert.Equal(0xFFFFFFFFu, Ipv4.Mask(32));
    }
}
