using Contiv.Messages.Addressing;
using Xunit;

namespace Contiv.Tests.Unit.Addressing;

public sealed class TagRangeTests
{
    [Theory]
    [InlineData("1-4094", 1, 4094)]
    [InlineData("100-200", 100, 200)]
    [InlineData("7-7", 7, 7)]
    public void Vlan_ranges_within_1_4094_are_accepted(string text, int min, int max)
    {
        Assert.True(TagRange.TryParseVlans(text, out var range, out var error), error);
        Assert.Equal(new TagRange(min, max), range);
        Assert.Equal(text, range.ToString());
        Assert.True(range.Contains(min));
        Assert.True(range.Contains(max));
        Assert.False(range.Contains(max + 1));
        Assert.False(range.Contains(min - 1));
    }

    [Theory]
    [InlineData("0-4094", "less than 1")]
    [InlineData("1-5000", "exceed 4094")]
    [InlineData("abcd", "expected a range")]
    [InlineData("1", "expected a range")]
    [InlineData("", "expected a range")]
    [InlineData(null, "expected a range")]
    [InlineData("-1-10", "expected a range")]
    [InlineData("1-2-3", "expected a range")]
    [InlineData("200-100", "min is greater than max")]
    public void Bad_vlan_ranges_are_refused(string? text, string reason)
    {
        Assert.False(TagRange.TryParseVlans(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.StartsWith("vlans ", error);
    }

    [Fact]
    public void Vxlan_ranges_up_to_a_span_of_16000_are_accepted()
    {
        Assert.True(TagRange.TryParseVxlans("1-10000", out var range, out var error), error);
        Assert.Equal(new TagRange(1, 10000), range);
        Assert.True(TagRange.TryParseVxlans("50000-65535", out _, out error), error);
        Assert.True(TagRange.TryParseVxlans("1-16001", out _, out error), error);
    }

    [Theory]
    [InlineData("1-100000", "exceed 65535")]
    [InlineData("1-20000", "span more than 16000")]
    [InlineData("1-16002", "span more than 16000")]
    [InlineData("0-100", "less than 1")]
    [InlineData("x-100", "expected a range")]
    public void Bad_vxlan_ranges_are_refused(string text, string reason)
    {
        Assert.False(TagRange.TryParseVxlans(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.StartsWith("vxlans ", error);
    }
}
