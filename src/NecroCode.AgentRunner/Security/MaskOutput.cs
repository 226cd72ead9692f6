using System.Buffers;

namespace NecroCode.AgentRunner.Security;

/// <summary>A growable, pooled character buffer that receives masked text.</summary>
internal sealed class MaskOutput : IDisposable
{
    private char[] _buffer;

    /// <summary>Creates a buffer.</summary>
    /// <param name="mask">The replacement text.</param>
    /// <param name="capacity">The initial capacity.</param>
    public MaskOutput(string mask, int capacity)
    {
        MaskText = mask;
        _buffer = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 256));
    }

    /// <summary>The replacement text.</summary>
    public string MaskText { get; set; }

    /// <summary>The number of characters written.</summary>
    public int Count { get; private set; }

    /// <summary>Whether anything was masked since the last <see cref="Clear"/>.</summary>
    public bool Masked { get; private set; }

    /// <summary>When set, receives the offset in <see cref="Written"/> of every mask written; cleared with it.</summary>
    public List<int>? MaskStarts { get; set; }

    /// <summary>The characters written.</summary>
    public ReadOnlySpan<char> Written => _buffer.AsSpan(0, Count);

    /// <summary>The characters written.</summary>
    public ReadOnlyMemory<char> WrittenMemory => _buffer.AsMemory(0, Count);

    /// <summary>Appends text as is.</summary>
    /// <param name="text">The text.</param>
    public void Literal(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        Ensure(text.Length);
        text.CopyTo(_buffer.AsSpan(Count));
        Count += text.Length;
    }

    /// <summary>Appends the replacement text.</summary>
    public void Mask()
    {
        Masked = true;
        MaskStarts?.Add(Count);
        Literal(MaskText);
    }

    /// <summary>Forgets what was written.</summary>
    public void Clear()
    {
        Count = 0;
        Masked = false;
        MaskStarts?.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Count = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private void Ensure(int extra)
    {
        if (Count + extra <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, Count + extra));
        _buffer.AsSpan(0, Count).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
