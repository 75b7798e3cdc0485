using System.Buffers.Binary;

namespace Contiv.Dataplane.Ovs.OpenFlow;

/// <summary>A growable big-endian buffer; lengths are written as placeholders and patched once known.</summary>
public sealed class OfpWriter
{
    private byte[] _buffer;

    public OfpWriter(int capacity = 256) => _buffer = new byte[capacity];

    public int Position { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Position);

    public byte[] ToArray() => Written.ToArray();

    private Span<byte> Take(int count)
    {
        if (Position + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Position + count));
        var span = _buffer.AsSpan(Position, count);
        Position += count;
        return span;
    }

    public void U8(byte value) => Take(1)[0] = value;
    public void U16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);
    public void U32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);
    public void U64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);
    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));
    public void Zeros(int count) => Take(count).Clear();

    /// <summary>Writes the low <paramref name="width"/> bytes of a value, most significant first.</summary>
    public void UInt(ulong value, int width)
    {
        var span = Take(width);
        for (var i = width - 1; i >= 0; i--)
        {
            span[i] = (byte)value;
            value >>= 8;
        }
    }

    /// <summary>Zero-pads so that the bytes written since <paramref name="start"/> are a multiple of 8.</summary>
    public void PadTo8(int start)
    {
        var rest = (Position - start) % 8;
        if (rest != 0) Zeros(8 - rest);
    }

    public void PatchU16(int at, int value)
    {
        if (value > ushort.MaxValue) throw new OpenFlowEncodeException($"structure of {value} bytes exceeds the 16-bit OpenFlow length");
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at, 2), (ushort)value);
    }

    /// <summary>Patches the 16-bit length at <paramref name="at"/> with the bytes written since <paramref name="start"/>.</summary>
    public void PatchLength(int at, int start) => PatchU16(at, Position - start);
}
