using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Contiv.Collections;
using Contiv.Messages.Feed;
using Xunit;

namespace Contiv.Tests.Unit.Collections;

public sealed class ValueArrayTests
{
    private sealed record Tagged(string Name, ValueArray<string> Tags);

    // The shapes config records use: a nullable list, written with the serializer's options.
    private sealed record WithImmutable([property: JsonPropertyName("items")] ImmutableArray<string>? Items);
    private sealed record WithValue([property: JsonPropertyName("items")] ValueArray<string>? Items);

    private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [Fact]
    public void Arrays_with_the_same_elements_in_the_same_order_are_equal_and_hash_alike()
    {
        ValueArray<string> a = ["x", "y"];
        ValueArray<string> b = new[] { "x", "y" };
        Assert.True(a == b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Order_length_and_content_all_count()
    {
        ValueArray<string> a = ["x", "y"];
        ValueArray<string>[] others = [["y", "x"], ["x"], ["x", "y", "z"], ["x", "Y"], []];
        Assert.All(others, other => Assert.True(a != other, $"{a} == {other}"));
        Assert.False(a.Equals("not an array"));
    }

    [Fact]
    public void A_record_holding_one_is_equal_by_value()
    {
        var first = new Tagged("a", ["x", "y"]);
        var second = new Tagged("a", [.. new List<string> { "x", "y" }]);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, second with { Tags = ["x"] });
    }

    [Fact]
    public void Default_is_the_empty_array()
    {
        var unset = default(ValueArray<int>);
        Assert.True(unset.IsEmpty);
        Assert.Equal(0, unset.Length);
        Assert.Empty(unset);
        Assert.False(unset.Items.IsDefault);
        Assert.Equal(ValueArray<int>.Empty, unset);
        Assert.Equal(ValueArray<int>.Empty.GetHashCode(), unset.GetHashCode());
        Assert.Equal(ValueArray<int>.Empty, new ValueArray<int>(default));
        Assert.Equal("[]", JsonSerializer.Serialize(unset));
    }

    [Fact]
    public void Collection_expressions_spreads_and_conversions_build_it()
    {
        int[] rest = [3, 4];
        ValueArray<int> built = [1, 2, .. rest];
        Assert.Equal(4, built.Length);
        Assert.Equal(built.Length, built.Count);
        Assert.Equal(3, built[2]);
        Assert.Equal(3, built.AsSpan()[2]);
        Assert.Equal(new[] { 1, 2, 3, 4 }, built.ToArray());
        Assert.Equal(built, (ValueArray<int>)ImmutableArray.Create(1, 2, 3, 4));
        Assert.Equal(built, new[] { 1, 2, 3, 4 }.ToValueArray());
        ImmutableArray<int> back = built;
        Assert.Equal(built.Items, back);
        Assert.Equal("[1, 2, 3, 4]", built.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a,b,c")]
    public void Json_is_byte_for_byte_what_an_immutable_array_wrote(string? items)
    {
        ImmutableArray<string>? immutable = items is null ? null : [.. items.Split(',', StringSplitOptions.RemoveEmptyEntries)];
        ValueArray<string>? value = items is null ? null : [.. items.Split(',', StringSplitOptions.RemoveEmptyEntries)];
        foreach (var options in new[] { JsonSerializerOptions.Default, SkipNulls })
        {
            var expected = JsonSerializer.Serialize(new WithImmutable(immutable), options);
            var written = JsonSerializer.Serialize(new WithValue(value), options);
            Assert.Equal(expected, written);
            Assert.Equal(new WithValue(value), JsonSerializer.Deserialize<WithValue>(expected, options));
        }
    }

    [Fact]
    public void Polymorphic_elements_keep_their_discriminator()
    {
        ImmutableArray<FeedView> immutable = [new PolicyView("t1", "p1"), new HostView("h1", "10.0.0.1", null, "192.168.0.1")];
        ValueArray<FeedView> value = immutable;
        var json = JsonSerializer.Serialize(immutable);
        Assert.Equal(json, JsonSerializer.Serialize(value));
        Assert.Contains("\"$view\":\"policy\"", json);
        Assert.Equal(value, JsonSerializer.Deserialize<ValueArray<FeedView>>(json));
    }

    [Fact]
    public void Json_null_for_a_non_nullable_array_fails_as_it_did_for_an_immutable_array()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ImmutableArray<int>>("null"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ValueArray<int>>("null"));
    }
}
