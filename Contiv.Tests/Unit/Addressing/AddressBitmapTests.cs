using Contiv.Messages.Addressing;
using Xunit;

namespace Contiv.Tests.Unit.Addressing;

public sealed class AddressBitmapTests
{
    private const uint Chunk = 4096;

    private static AddressBitmap Taken(uint size, IEnumerable<uint> offsets) =>
        offsets.Aggregate(AddressBitmap.Empty(size), (bitmap, offset) => bitmap.Set(offset, true));

    private static IEnumerable<uint> Span(uint first, uint count) => Enumerable.Range(0, (int)count).Select(i => first + (uint)i);

    [Fact]
    public void An_empty_bitmap_is_all_free()
    {
        var bitmap = AddressBitmap.Empty(10_000);
        Assert.Equal(0, bitmap.TakenCount);
        Assert.Equal(0u, bitmap.LowestFree());
        Assert.False(bitmap.IsTaken(9_999));
        Assert.Equal(10_000, bitmap.FreeOffsets().Count());
    }

    [Fact]
    public void Set_is_immutable_and_counts_changes_only()
    {
        var empty = AddressBitmap.Empty(100);
        var one = empty.Set(5, true);
        Assert.False(empty.IsTaken(5));
        Assert.True(one.IsTaken(5));
        Assert.Equal(1, one.TakenCount);
        Assert.Same(one, one.Set(5, true));
        Assert.Same(one, one.Set(6, false));
        var none = one.Set(5, false);
        Assert.False(none.IsTaken(5));
        Assert.Equal(0, none.TakenCount);
    }

    [Fact]
    public void Offsets_beyond_the_size_count_as_taken_and_are_never_set()
    {
        var bitmap = AddressBitmap.Empty(10);
        Assert.True(bitmap.IsTaken(10));
        Assert.Same(bitmap, bitmap.Set(10, true));
        Assert.Equal(0, bitmap.TakenCount);
    }

    [Fact]
    public void Lowest_free_skips_taken_offsets_within_a_chunk()
    {
        var bitmap = Taken(Chunk * 3, [0, 1, 2, 4]);
        Assert.Equal(3u, bitmap.LowestFree());
        Assert.Equal(65u, Taken(Chunk, Span(0, 65)).LowestFree());
    }

    [Fact]
    public void Lowest_free_crosses_the_4096_chunk_boundary()
    {
        var fullFirstChunk = Taken(Chunk * 3, Span(0, Chunk));
        Assert.Equal(Chunk, fullFirstChunk.LowestFree());
        Assert.True(fullFirstChunk.IsTaken(Chunk - 1));
        Assert.False(fullFirstChunk.IsTaken(Chunk));

        var andOneMore = fullFirstChunk.Set(Chunk, true);
        Assert.Equal(Chunk + 1, andOneMore.LowestFree());
        Assert.Equal((int)Chunk + 1, andOneMore.TakenCount);
    }

    [Fact]
    public void Lowest_free_finds_an_absent_chunk_between_present_ones()
    {
        // Chunk 0 full, chunk 1 absent (all free), chunk 2 partly taken.
        var bitmap = Taken(Chunk * 3, Span(0, Chunk)).Set(2 * Chunk, true);
        Assert.Equal(Chunk, bitmap.LowestFree());
        // An absent first chunk is all free even when later chunks exist.
        Assert.Equal(0u, AddressBitmap.Empty(Chunk * 3).Set(Chunk + 7, true).LowestFree());
    }

    [Fact]
    public void Lowest_free_is_null_when_full_even_in_a_partial_last_chunk()
    {
        Assert.Null(Taken(Chunk, Span(0, Chunk)).LowestFree());
        Assert.Null(Taken(Chunk + 4, Span(0, Chunk + 4)).LowestFree());
        Assert.Null(Taken(10, Span(0, 10)).LowestFree());
        Assert.Equal(Chunk + 3, Taken(Chunk + 4, Span(0, Chunk + 3)).LowestFree());
    }

    [Fact]
    public void Freeing_reopens_the_lowest_offset()
    {
        var bitmap = Taken(Chunk * 2, Span(0, Chunk + 10));
        Assert.Equal(Chunk + 10, bitmap.LowestFree());
        Assert.Equal(Chunk - 1, bitmap.Set(Chunk - 1, false).LowestFree());
        Assert.Equal(7u, bitmap.Set(Chunk + 3, false).Set(7, false).LowestFree());
    }

    [Fact]
    public void Free_offsets_are_ascending_and_exclude_taken_ones_across_chunks()
    {
        uint[] taken = [1, Chunk - 1, Chunk, 2 * Chunk + 5, 8_999];
        var bitmap = Taken(9_000, taken);
        var free = bitmap.FreeOffsets().ToList();
        Assert.Equal(9_000 - taken.Length, free.Count);
        Assert.Equal(taken.Length, bitmap.TakenCount);
        Assert.DoesNotContain(free, taken.Contains);
        Assert.Equal(free.OrderBy(o => o), free);
        Assert.Equal(0u, free[0]);
        Assert.Equal(2u, free[1]);
        Assert.Equal(8_998u, free[^1]);
    }

    [Fact]
    public void Free_offsets_of_a_full_chunk_followed_by_an_absent_one()
    {
        var bitmap = Taken(Chunk + 3, Span(0, Chunk));
        Assert.Equal([Chunk, Chunk + 1, Chunk + 2], bitmap.FreeOffsets().ToList());
    }
}
