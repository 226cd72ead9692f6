using Microsoft.Win32.SafeHandles;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// A read-only, seekable view of <c>length</c> bytes of the content from <c>start</c>, positioned at 0: the body of
/// one request, which the SDK reads once to sign and again to send (and a retry reads anew) without a copy in
/// memory. Over a file it reads by position, so any number of windows over one file can be read at once; over a
/// seekable stream it moves the stream's position, so only one window of that stream may be read at a time.
/// Disposing it leaves the file or stream open.
/// </summary>
internal sealed class ContentWindow : Stream
{
    private readonly SafeFileHandle? _file;
    private readonly Stream? _inner;
    private readonly long _start;
    private readonly long _length;
    private long _position;

    /// <summary>A window over a file, read by position.</summary>
    public ContentWindow(SafeFileHandle file, long start, long length)
        : this(start, length) => _file = file;

    /// <summary>A window over a seekable stream, read by moving its position.</summary>
    public ContentWindow(Stream inner, long start, long length)
        : this(start, length) => _inner = inner;

    private ContentWindow(long start, long length) => (_start, _length) = (start, length);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = Wanted(buffer.Length);
        if (wanted == 0)
        {
            return 0;
        }

        int read;
        if (_file is not null)
        {
            read = RandomAccess.Read(_file, buffer[..wanted], _start + _position);
        }
        else
        {
            _inner!.Position = _start + _position;
            read = _inner.Read(buffer[..wanted]);
        }

        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <remarks>
    /// A window over a file reads it in place, synchronously: on Unix .NET reads a file "asynchronously" by blocking
    /// a thread-pool thread for the read anyway, so this blocks no thread for longer, and saves the hop and the wait
    /// for a free pool thread, which may be busy: the SDK hashes each part's body synchronously to sign it. The reads
    /// come through the window's buffer (<see cref="ArtifactContent.Window"/>), from a file just read to hash it.
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_file is null)
        {
            return ReadStreamAsync(buffer, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async ValueTask<int> ReadStreamAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var wanted = Wanted(buffer.Length);
        if (wanted == 0)
        {
            return 0;
        }

        _inner!.Position = _start + _position;
        var read = await _inner.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    /// <summary>How many of <paramref name="room"/> bytes a read may fill: what is left of the window, at most.</summary>
    private int Wanted(int room) => (int)Math.Min(room, Math.Max(0, _length - _position));
}
