using System.Security.Cryptography;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Reads a stream for a consumer (an artifact store's upload) and computes the SHA-256 of what it read on the way, so
/// that a large file is read once for both. The digest is only given for one sequential pass from the start to the end:
/// a consumer that seeks, or stops early, leaves <see cref="TryGetDigest(out string)"/> false and the caller hashes
/// the file on its own. Owns neither the inner stream nor anything else but its hash.
/// </summary>
/// <param name="inner">The stream, at its start.</param>
internal sealed class HashingReadStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _sequential = inner.CanSeek && inner.Position == 0;
    private bool _ended;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => inner.CanSeek;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => inner.Length;

    /// <inheritdoc />
    public override long Position
    {
        get => inner.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The lowercase hex SHA-256 of the whole stream, when it was read once, in order, to its end.</summary>
    /// <param name="digest">The digest.</param>
    /// <returns>Whether the digest covers exactly the stream's content.</returns>
    public bool TryGetDigest(out string digest)
    {
        var whole = _ended || (inner.CanSeek && inner.Position == inner.Length);
        digest = _sequential && whole ? Convert.ToHexStringLower(_hash.GetHashAndReset()) : "";
        return digest.Length > 0;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => Took(buffer, inner.Read(buffer));

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Took(buffer.Span, read);
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin)
    {
        // A second pass (an upload retried from the start) or a jump: the digest would not be the content's.
        _sequential = false;
        return inner.Seek(offset, origin);
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Took(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
        }
        else if (buffer.Length > 0)
        {
            _ended = true;
        }

        return read;
    }
}
