using Contiv.Messages.Addressing;
using Xunit;

namespace Contiv.Tests.Unit.Addressing;

public sealed class SubnetSpecTests
{
    private static uint Ip(string text) => Ipv4.Parse(text);

    [Fact]
    public void A_plain_prefix_spans_the_whole_network()
    {
        var spec = SubnetSpec.Parse("10.1.0.0/16");
        Assert.Equal(Ip("10.1.0.0"), spec.First);
        Assert.Equal(Ip("10.1.255.255"), spec.Last);
        Assert.Equal(16, spec.PrefixLength);
        Assert.Equal(65536u, spec.Size);
        Assert.Equal(Ip("10.1.0.0"), spec.PrefixBase);
        Assert.Equal(Ip("10.1.255.255"), spec.Broadcast);
        Assert.True(spec.IsReserved(Ip("10.1.0.0")));
        Assert.True(spec.IsReserved(Ip("10.1.255.255")));
        Assert.False(spec.IsReserved(Ip("10.1.0.1")));
        Assert.True(spec.Contains(Ip("10.1.200.7")));
        Assert.False(spec.Contains(Ip("10.2.0.0")));
    }

    [Fact]
    public void Host_bits_of_a_plain_prefix_are_cleared()
    {
        var spec = SubnetSpec.Parse("10.1.2.3/24");
        Assert.Equal(Ip("10.1.2.0"), spec.First);
        Assert.Equal(Ip("10.1.2.255"), spec.Last);
    }

    [Fact]
    public void A_range_spans_only_its_addresses_inside_the_prefix()
    {
        var spec = SubnetSpec.Parse("20.1.1.10-20.1.1.45/24");
        Assert.Equal(Ip("20.1.1.10"), spec.First);
        Assert.Equal(Ip("20.1.1.45"), spec.Last);
        Assert.Equal(36u, spec.Size);
        Assert.Equal(Ip("20.1.1.0"), spec.PrefixBase);
        Assert.Equal(Ip("20.1.1.255"), spec.Broadcast);
        Assert.True(spec.InPrefix(Ip("20.1.1.1")));
        Assert.False(spec.Contains(Ip("20.1.1.1")));
        Assert.False(spec.InPrefix(Ip("20.1.2.1")));
    }

    [Fact]
    public void Overlap_is_judged_on_the_spans()
    {
        var low = SubnetSpec.Parse("20.1.1.10-20.1.1.45/24");
        Assert.True(low.Overlaps(SubnetSpec.Parse("20.1.1.45-20.1.1.60/24")));
        Assert.False(low.Overlaps(SubnetSpec.Parse("20.1.1.46-20.1.1.60/24")));
        Assert.True(low.Overlaps(SubnetSpec.Parse("20.0.0.0/8")));
        Assert.False(SubnetSpec.Parse("10.1.0.0/16").Overlaps(SubnetSpec.Parse("10.2.0.0/16")));
    }

    [Fact]
    public void Point_to_point_prefixes_reserve_nothing()
    {
        var host = SubnetSpec.Parse("10.1.0.5/32");
        Assert.Equal(1u, host.Size);
        Assert.False(host.IsReserved(Ip("10.1.0.5")));
        var pair = SubnetSpec.Parse("10.1.0.4/31");
        Assert.Equal(2u, pair.Size);
        Assert.False(pair.IsReserved(Ip("10.1.0.4")));
        Assert.False(pair.IsReserved(Ip("10.1.0.5")));
    }

    [Fact]
    public void A_slash_8_is_the_largest_network()
    {
        var spec = SubnetSpec.Parse("10.0.0.0/8");
        Assert.Equal(1u << 24, spec.Size);

        Assert.False(SubnetSpec.TryParse("10.0.0.0/7", out _, out var error));
        Assert.Contains("too large", error);
        Assert.Contains("/8", error);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("10.1.0.0", "prefix length")]
    [InlineData("10.1.0.0/", "prefix length")]
    [InlineData("10.1.0.0/0", "prefix length")]
    [InlineData("10.1.0.0/33", "prefix length")]
    [InlineData("10.1.0.0/x", "prefix length")]
    [InlineData("10.1.0/16", "invalid format")]
    [InlineData("10.1.0.256/16", "invalid format")]
    [InlineData("a.b.c.d/16", "invalid format")]
    [InlineData("10.1.1.1-10.1.1.2-10.1.1.3/24", "invalid format")]
    [InlineData("10.1.1.1-nope/24", "invalid format")]
    [InlineData("10.1.1.45-10.1.1.10/24", "ascending")]
    [InlineData("10.1.1.10-10.1.2.10/24", "inside the /24")]
    public void Bad_subnets_are_refused_with_a_reason(string? text, string reason)
    {
        Assert.False(SubnetSpec.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => SubnetSpec.Parse(text!));
    }
}
