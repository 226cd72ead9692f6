using System.Text;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// A <see cref="TextWriter"/> that masks secrets before they reach the writer it wraps, also when a
/// secret is split across several writes. Text is held back until enough follows to decide, at most the
/// longest pattern minus one character (longer only while a token shape such as a PEM block is still
/// open); <see cref="Flush"/> releases everything, so a secret split across a flush is not recognised.
/// Not thread-safe, like most writers.
/// </summary>
internal sealed class SecretMaskingWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly bool _leaveOpen;
    private readonly ChunkMasker _chunks;
    private bool _disposed;

    /// <summary>Wraps a writer.</summary>
    /// <param name="inner">The writer that receives masked text.</param>
    /// <param name="masker">The secrets to mask.</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> open when this writer is disposed.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SecretMaskingWriter(TextWriter inner, SecretMasker masker, bool leaveOpen = false)
        : this(inner, masker, leaveOpen, ChunkMasker.DefaultProcessThreshold)
    {
    }

    /// <summary>Wraps a writer and masks once <paramref name="processThreshold"/> characters are buffered.</summary>
    internal SecretMaskingWriter(TextWriter inner, SecretMasker masker, bool leaveOpen, int processThreshold)
        : base(inner?.FormatProvider)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(masker);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _chunks = new ChunkMasker(masker, processThreshold);
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    /// <summary>The encoding of the wrapped writer.</summary>
    public override Encoding Encoding => _inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    /// <inheritdoc />
    public override void Write(string? value) => Write(value.AsSpan());

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<char> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chunks.Write(buffer))
        {
            _inner.Write(_chunks.Output.Written);
        }
    }

    /// <inheritdoc />
    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        Write(buffer);
        Write(CoreNewLine);
    }

    /// <inheritdoc />
    public override Task WriteAsync(char value) => WriteAsync(new[] { value }.AsMemory(), CancellationToken.None);

    /// <inheritdoc />
    public override Task WriteAsync(string? value) => WriteAsync(value.AsMemory(), CancellationToken.None);

    /// <inheritdoc />
    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(buffer.AsMemory(index, count), CancellationToken.None);

    /// <inheritdoc />
    public override async Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_chunks.Write(buffer.Span))
        {
            await _inner.WriteAsync(_chunks.Output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        await WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await WriteAsync(CoreNewLine, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task WriteLineAsync(string? value) => WriteLineAsync(value.AsMemory(), CancellationToken.None);

    /// <inheritdoc />
    public override Task WriteLineAsync() => WriteAsync(CoreNewLine, CancellationToken.None);

    /// <summary>Masks and writes everything held back, then flushes the wrapped writer.</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chunks.Flush())
        {
            _inner.Write(_chunks.Output.Written);
        }

        _inner.Flush();
    }

    /// <summary>Masks and writes everything held back, then flushes the wrapped writer.</summary>
    /// <returns>A task that completes when the text is written.</returns>
    public override Task FlushAsync() => FlushAsync(CancellationToken.None);

    /// <summary>Masks and writes everything held back, then flushes the wrapped writer.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the text is written.</returns>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chunks.Flush())
        {
            await _inner.WriteAsync(_chunks.Output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _disposed = true;
            _chunks.Dispose();
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
            _disposed = true;
            _chunks.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
