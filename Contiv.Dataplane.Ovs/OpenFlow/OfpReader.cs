using System.Buffers.Binary;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>
/// A bounds-checked big-endian reader over one structure; every overrun is an
/// <see cref="OpenFlowDecodeException"/>, never an index exception or a loop that cannot end.
/// </summary>
public ref struct OfpReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _what;

    public OfpReader(ReadOnlySpan<byte> data, string what)
    {
        _data = data;
        _what = what;
        Position = 0;
    }

    public int Position { get; private set; }
    public int Remaining => _data.Length - Position;
    public bool AtEnd => Position >= _data.Length;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
            throw new OpenFlowDecodeException($"{_what}: needs {count} bytes at offset {Position}, only {Remaining} left");
        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }

    public byte U8() => Take(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));
    public ReadOnlySpan<byte> Bytes(int count) => Take(count);
    public void Skip(int count) => Take(count);

    public ushort PeekU16At(int offset)
    {
        if (offset < 0 || offset + 2 > Remaining) throw new OpenFlowDecodeException($"{_what}: truncated at offset {Position + offset}");
        return BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(Position + offset, 2));
    }

    /// <summary>Reads an unsigned big-endian integer of 1..8 bytes.</summary>
    public ulong UInt(int width)
    {
        var span = Take(width);
        ulong value = 0;
        foreach (var b in span) value = (value << 8) | b;
        return value;
    }

    /// <summary>A reader over the next <paramref name="count"/> bytes (a nested structure); this one moves past them.</summary>
    public OfpReader Sub(int count, string what) => new(Take(count), what);
}
