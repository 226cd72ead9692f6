using System.Buffers;
using System.Text;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// A write-only <see cref="Stream"/> for UTF-8 text that masks secrets before the bytes reach the stream it
/// wraps, also when a secret (or a multi-byte character) is split across writes. Text is held back until
/// enough follows to decide; <see cref="Flush"/> releases everything. Invalid UTF-8 is written as U+FFFD, so
/// wrap only text. Not thread-safe.
/// </summary>
internal sealed class SecretMaskingStream : Stream
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ChunkMasker _chunks;
    private readonly Decoder _decoder = Utf8.GetDecoder();
    private readonly Encoder _encoder = Utf8.GetEncoder();
    private char[] _chars = ArrayPool<char>.Shared.Rent(4096);
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(4096);
    private bool _disposed;

    /// <summary>Wraps a stream.</summary>
    /// <param name="inner">The stream that receives masked UTF-8 text.</param>
    /// <param name="masker">The secrets to mask.</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> open when this stream is disposed.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="inner"/> is not writable.</exception>
    public SecretMaskingStream(Stream inner, SecretMasker masker, bool leaveOpen = false)
        : this(inner, masker, leaveOpen, ChunkMasker.DefaultProcessThreshold)
    {
    }

    /// <summary>Wraps a stream and masks once <paramref name="processThreshold"/> characters are buffered.</summary>
    internal SecretMaskingStream(Stream inner, SecretMasker masker, bool leaveOpen, int processThreshold)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(masker);
        if (!inner.CanWrite)
        {
            throw new ArgumentException("The wrapped stream must be writable.", nameof(inner));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        _chunks = new ChunkMasker(masker, processThreshold);
    }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_disposed;

    /// <summary>Not supported.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Length => throw new NotSupportedException("A masking stream has no length.");

    /// <summary>Not supported.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Position
    {
        get => throw new NotSupportedException("A masking stream has no position.");
        set => throw new NotSupportedException("A masking stream has no position.");
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = MaskBytes(buffer, flush: false);
        if (count > 0)
        {
            _inner.Write(_bytes, 0, count);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var count = MaskBytes(buffer.Span, flush: false);
        if (count > 0)
        {
            await _inner.WriteAsync(_bytes.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Masks and writes everything held back, then flushes the wrapped stream.</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = MaskBytes([], flush: true);
        if (count > 0)
        {
            _inner.Write(_bytes, 0, count);
        }

        _inner.Flush();
    }

    /// <summary>Masks and writes everything held back, then flushes the wrapped stream.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = MaskBytes([], flush: true);
        if (count > 0)
        {
            await _inner.WriteAsync(_bytes.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }

        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Not supported.</summary>
    /// <param name="buffer">Unused.</param>
    /// <param name="offset">Unused.</param>
    /// <param name="count">Unused.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("A masking stream is write-only.");

    /// <summary>Not supported.</summary>
    /// <param name="offset">Unused.</param>
    /// <param name="origin">Unused.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A masking stream cannot seek.");

    /// <summary>Not supported.</summary>
    /// <param name="value">Unused.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void SetLength(long value) => throw new NotSupportedException("A masking stream has no length.");

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            Release();
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            Flush();
            Release();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Release()
    {
        _disposed = true;
        _chunks.Dispose();
        ArrayPool<char>.Shared.Return(_chars, clearArray: true);
        ArrayPool<byte>.Shared.Return(_bytes, clearArray: true);
        _chars = [];
        _bytes = [];
    }

    /// <summary>Decodes, masks and re-encodes; returns the number of bytes ready in <see cref="_bytes"/>.</summary>
    private int MaskBytes(ReadOnlySpan<byte> input, bool flush)
    {
        var written = 0;
        do
        {
            _decoder.Convert(input, _chars, flush, out var bytesUsed, out var charsUsed, out _);
            input = input.Slice(bytesUsed);
            if (_chunks.Write(_chars.AsSpan(0, charsUsed)))
            {
                written = Encode(_chunks.Output.Written, written, flush: false);
            }
        }
        while (!input.IsEmpty);

        if (flush && _chunks.Flush())
        {
            written = Encode(_chunks.Output.Written, written, flush: true);
        }

        return written;
    }

    private int Encode(ReadOnlySpan<char> chars, int written, bool flush)
    {
        var needed = written + Utf8.GetMaxByteCount(chars.Length);
        if (needed > _bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(needed);
            _bytes.AsSpan(0, written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_bytes, clearArray: true);
            _bytes = larger;
        }

        _encoder.Convert(chars, _bytes.AsSpan(written), flush, out _, out var bytesUsed, out _);
        return written + bytesUsed;
    }
}
