namespace Contiv.Dataplane.Ovs.Ovsdb;

/// <summary>
/// Splits the byte stream of an OVSDB connection into JSON texts. The protocol has no framing of its
/// own: messages are JSON objects written back to back (whitespace between them is allowed). We track
/// nesting depth outside strings, so each byte is looked at once, and refuse a message longer than the
/// bound or a stream that does not start an object — the parser then checks the text itself.
/// </summary>
public sealed class OvsdbFramer(int maxMessageBytes)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;      // first byte of the message being scanned
    private int _end;        // end of valid data
    private int _scan;       // next byte to look at
    private int _depth;
    private bool _inString;
    private bool _escape;

    /// <summary>Space to read into; call <see cref="Commit"/> with the count read.</summary>
    public Memory<byte> GetWriteBuffer()
    {
        if (_start > 0 && (_end == _buffer.Length || _start > _buffer.Length / 2))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _scan -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= maxMessageBytes)
                throw new OvsdbProtocolException($"an OVSDB message exceeds {maxMessageBytes} bytes");
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, Math.Max(maxMessageBytes, 16 * 1024)));
        }
        return _buffer.AsMemory(_end);
    }

    public void Commit(int count) => _end += count;

    /// <summary>Bytes received but not yet part of a complete message.</summary>
    public bool HasPartialMessage => _end > _start && !IsWhitespaceOnly(_start, _end);

    /// <summary>The next complete JSON text, or false if more bytes are needed.</summary>
    public bool TryRead(out ReadOnlyMemory<byte> message)
    {
        message = default;
        while (_scan < _end)
        {
            var b = _buffer[_scan++];
            if (_depth == 0)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    _start = _scan;
                    continue;
                }
                if (b != (byte)'{')
                    throw new OvsdbProtocolException($"an OVSDB message must be a JSON object; got byte 0x{b:x2} ('{(char)b}')");
                _depth = 1;
                continue;
            }
            if (_inString)
            {
                if (_escape) _escape = false;
                else if (b == (byte)'\\') _escape = true;
                else if (b == (byte)'"') _inString = false;
                continue;
            }
            switch (b)
            {
                case (byte)'"': _inString = true; break;
                case (byte)'{' or (byte)'[': _depth++; break;
                case (byte)'}' or (byte)']':
                    if (--_depth == 0)
                    {
                        message = _buffer.AsMemory(_start, _scan - _start);
                        _start = _scan;
                        return true;
                    }
                    break;
            }
            if (_scan - _start > maxMessageBytes)
                throw new OvsdbProtocolException($"an OVSDB message exceeds {maxMessageBytes} bytes");
        }
        if (_end - _start > maxMessageBytes)
            throw new OvsdbProtocolException($"an OVSDB message exceeds {maxMessageBytes} bytes");
        return false;
    }

    private bool IsWhitespaceOnly(int from, int to)
    {
        for (var i = from; i < to; i++)
            if (_buffer[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }
}
