namespace NecroCode.AgentRunner.Processes;

/// <summary>Keeps the last <c>capacity</c> characters appended to it, in bounded memory.</summary>
internal sealed class TailBuffer
{
    private readonly int _capacity;
    private char[] _buffer;
    private int _start;
    private int _count;

    /// <summary>Creates a buffer that keeps at most <paramref name="capacity"/> characters.</summary>
    /// <param name="capacity">The number of characters kept.</param>
    public TailBuffer(int capacity)
    {
        _capacity = Math.Max(0, capacity);
        _buffer = new char[Math.Min(_capacity, 4096)];
    }

    /// <summary>Whether characters were dropped from the front.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Appends text, dropping the oldest characters beyond the capacity.</summary>
    /// <param name="text">The text.</param>
    public void Append(ReadOnlySpan<char> text)
    {
        if (_capacity == 0)
        {
            Truncated |= !text.IsEmpty;
            return;
        }

        if (text.Length >= _capacity)
        {
            Truncated |= text.Length > _capacity || _count > 0;
            EnsureFull();
            text[^_capacity..].CopyTo(_buffer);
            _start = 0;
            _count = _capacity;
            return;
        }

        // Grow while nothing has wrapped yet (start is 0 then).
        if (_start == 0 && _count + text.Length > _buffer.Length && _buffer.Length < _capacity)
        {
            var size = Math.Min(_capacity, Math.Max(_buffer.Length * 2, _count + text.Length));
            Array.Resize(ref _buffer, size);
        }

        var length = _buffer.Length;
        var write = (_start + _count) % length;
        var first = Math.Min(text.Length, length - write);
        text[..first].CopyTo(_buffer.AsSpan(write));
        text[first..].CopyTo(_buffer);

        var overflow = _count + text.Length - length;
        if (overflow > 0)
        {
            Truncated = true;
            _start = (_start + overflow) % length;
            _count = length;
        }
        else
        {
            _count += text.Length;
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var length = _buffer.Length;
        if (_start + _count <= length)
        {
            return new string(_buffer, _start, _count);
        }

        return string.Concat(_buffer.AsSpan(_start, length - _start), _buffer.AsSpan(0, _count - (length - _start)));
    }

    private void EnsureFull()
    {
        if (_buffer.Length < _capacity)
        {
            _buffer = new char[_capacity];
        }
    }
}
