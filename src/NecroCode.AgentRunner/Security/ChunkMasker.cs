using System.Buffers;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Masks text that arrives in chunks. It holds back the tail that may still be the start of a secret
/// (the longest pattern minus one character, longer while a token shape is still open), so a value that
/// straddles chunk boundaries is masked too. Not thread-safe: one instance per stream.
/// </summary>
internal sealed class ChunkMasker : IDisposable
{
    /// <summary>Buffered characters that trigger masking without waiting for more, by default.</summary>
    public const int DefaultProcessThreshold = 4096;

    private readonly SecretMasker _masker;
    private readonly int _processThreshold;
    private char[] _buffer;
    private int _count;
    private int _openMaskEnd;
    private char _previous;

    /// <summary>Creates a chunk masker.</summary>
    /// <param name="masker">The secrets to mask.</param>
    /// <param name="processThreshold">Buffered characters that trigger masking; 1 masks on every write.</param>
    public ChunkMasker(SecretMasker masker, int processThreshold = DefaultProcessThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processThreshold, 1);
        _masker = masker;
        _processThreshold = processThreshold;
        _buffer = ArrayPool<char>.Shared.Rent(2 * DefaultProcessThreshold);
        Output = new MaskOutput(masker.Mask, 2 * DefaultProcessThreshold);
    }

    /// <summary>The masked text produced by the last <see cref="Write"/> or <see cref="Flush"/>.</summary>
    public MaskOutput Output { get; }

    /// <summary>Characters held back, waiting for more text.</summary>
    public int Pending => _count;

    /// <summary>Adds text; masks what can be decided once enough text is buffered.</summary>
    /// <param name="chunk">The text.</param>
    /// <returns>True when <see cref="Output"/> holds masked text to pass on.</returns>
    public bool Write(ReadOnlySpan<char> chunk)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        Output.Clear();
        if (_count + chunk.Length > _buffer.Length)
        {
            Grow(_count + chunk.Length);
        }

        chunk.CopyTo(_buffer.AsSpan(_count));
        _count += chunk.Length;
        if (_count >= _processThreshold)
        {
            Process(final: false);
        }

        return Output.Count > 0;
    }

    /// <summary>Masks and releases everything buffered, as if the text ended here.</summary>
    /// <returns>True when <see cref="Output"/> holds masked text to pass on.</returns>
    public bool Flush()
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        Output.Clear();
        Process(final: true);
        return Output.Count > 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        _buffer.AsSpan(0, _count).Clear();
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = [];
        _count = 0;
        Output.Dispose();
    }

    private void Process(bool final)
    {
        var snapshot = _masker.Current;
        Output.MaskText = _masker.Mask;
        var consumed = MaskingScanner.Scan(snapshot, _buffer.AsSpan(0, _count), final, _previous, ref _openMaskEnd, Output);
        if (consumed == 0)
        {
            return;
        }

        _previous = _buffer[consumed - 1];
        var rest = _count - consumed;
        _buffer.AsSpan(consumed, rest).CopyTo(_buffer);
        _buffer.AsSpan(rest, consumed).Clear();
        _count = rest;
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _count).CopyTo(larger);
        _buffer.AsSpan(0, _count).Clear();
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
