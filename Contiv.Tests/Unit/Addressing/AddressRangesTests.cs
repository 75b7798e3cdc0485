using Contiv.Messages.Addressing;
using Xunit;

namespace Contiv.Tests.Unit.Addressing;

public sealed class AddressRangesTests
{
    [Fact]
    public void Runs_are_written_as_ranges_and_single_addresses_alone()
    {
        var addresses = Enumerable.Range(2, 8).Select(i => Ipv4.Parse($"10.1.0.{i}")).Append(Ipv4.Parse("10.1.0.12"));
        Assert.Equal("10.1.0.2-10.1.0.9, 10.1.0.12", AddressRanges.FormatAddresses(addresses));
    }

    [Fact]
    public void Runs_continue_across_octet_boundaries()
    {
        uint[] addresses = [Ipv4.Parse("10.1.0.254"), Ipv4.Parse("10.1.0.255"), Ipv4.Parse("10.1.1.0"), Ipv4.Parse("10.1.1.2")];
        Assert.Equal("10.1.0.254-10.1.1.0, 10.1.1.2", AddressRanges.FormatAddresses(addresses));
    }

    [Fact]
    public void Nothing_formats_as_empty()
    {
        Assert.Equal("", AddressRanges.FormatAddresses([]));
        Assert.Equal("10.1.0.1", AddressRanges.FormatAddresses([Ipv4.Parse("10.1.0.1")]));
    }

    [Fact]
    public void Tags_format_the_same_way()
    {
        Assert.Equal("1-3, 5, 7-8", AddressRanges.FormatTags([1, 2, 3, 5, 7, 8]));
        Assert.Equal("a|c-d", AddressRanges.Format([0, 2, 3], v => ((char)('a' + v)).ToString(), "|"));
    }
}
