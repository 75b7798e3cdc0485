using System.Collections.Immutable;
using System.Numerics;

namespace Contiv.Messages.Addressing;

/// <summary>
/// An immutable bitmap of taken offsets, stored as 4096-bit chunks that are copied on write, so that
/// one allocation in a /8 copies 512 bytes, not 2 MiB. Absent chunks are all free.
/// </summary>
public sealed class AddressBitmap
{
    private const int WordsPerChunk = 64;
    private const int BitsPerChunk = WordsPerChunk * 64;

    private readonly ImmutableSortedDictionary<int, ulong[]> _chunks;

    public uint Size { get; }
    public int TakenCount { get; }

    private AddressBitmap(uint size, ImmutableSortedDictionary<int, ulong[]> chunks, int taken)
    {
        Size = size;
        _chunks = chunks;
        TakenCount = taken;
    }

    public static AddressBitmap Empty(uint size) => new(size, ImmutableSortedDictionary<int, ulong[]>.Empty, 0);

    public bool IsTaken(uint offset)
    {
        if (offset >= Size) return true;
        return _chunks.TryGetValue((int)(offset / BitsPerChunk), out var chunk)
               && (chunk[offset % BitsPerChunk / 64] & (1UL << (int)(offset % 64))) != 0;
    }

    public AddressBitmap Set(uint offset, bool taken)
    {
        if (offset >= Size || IsTaken(offset) == taken) return this;
        var index = (int)(offset / BitsPerChunk);
        var chunk = _chunks.TryGetValue(index, out var existing) ? (ulong[])existing.Clone() : new ulong[WordsPerChunk];
        var bit = 1UL << (int)(offset % 64);
        if (taken) chunk[offset % BitsPerChunk / 64] |= bit;
        else chunk[offset % BitsPerChunk / 64] &= ~bit;
        var chunks = chunk.All(w => w == 0) ? _chunks.Remove(index) : _chunks.SetItem(index, chunk);
        return new AddressBitmap(Size, chunks, TakenCount + (taken ? 1 : -1));
    }

    /// <summary>The lowest free offset, or null when every offset is taken.</summary>
    public uint? LowestFree()
    {
        uint expectedChunk = 0;
        foreach (var (index, chunk) in _chunks)
        {
            if (index > expectedChunk) break; // a missing chunk before this one is all free
            for (var word = 0; word < WordsPerChunk; word++)
            {
                if (chunk[word] == ulong.MaxValue) continue;
                var offset = (uint)index * BitsPerChunk + (uint)word * 64 + (uint)BitOperations.TrailingZeroCount(~chunk[word]);
                return offset < Size ? offset : null;
            }
            expectedChunk = (uint)index + 1;
        }
        var first = expectedChunk * BitsPerChunk;
        return first < Size ? first : null;
    }

    /// <summary>Free offsets in ascending order.</summary>
    public IEnumerable<uint> FreeOffsets()
    {
        for (uint offset = 0; offset < Size; offset++)
        {
            if (!_chunks.TryGetValue((int)(offset / BitsPerChunk), out var chunk))
            {
                var chunkEnd = Math.Min(Size, (offset / BitsPerChunk + 1) * BitsPerChunk);
                for (; offset < chunkEnd; offset++) yield return offset;
                offset--;
                continue;
            }
            if ((chunk[offset % BitsPerChunk / 64] & (1UL << (int)(offset % 64))) == 0) yield return offset;
        }
    }
}
