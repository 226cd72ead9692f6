using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// An artifact's content made ready for upload: its length and SHA-256 are known before the first byte is sent
/// (they go into the object's metadata) and any part of it can be read again, as a <see cref="ContentWindow"/>. A
/// file is hashed in a first pass and then read by position, so its parts can be sent at once; another seekable
/// stream is hashed, rewound and read one window at a time; any other stream is copied to a temp file (deleted on
/// dispose) while it is hashed. The content is never held in memory whole.
/// </summary>
internal sealed class ArtifactContent : IAsyncDisposable
{
    /// <summary>The read size of the hash pass and the spool copy.</summary>
    private const int BufferSize = 1024 * 1024;

    /// <summary>The read size of a window over a file.</summary>
    private const int WindowBufferSize = 128 * 1024;

    private readonly SafeFileHandle? _file;
    private readonly Stream _stream;
    private readonly long _start;
    private readonly Stream? _spool;

    private ArtifactContent(SafeFileHandle? file, Stream stream, long start, long length, byte[] sha256, Stream? spool)
    {
        _file = file;
        _stream = stream;
        _start = start;
        Length = length;
        Sha256 = Convert.ToHexStringLower(sha256);
        _spool = spool;
    }

    public long Length { get; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public string Sha256 { get; }

    /// <summary>Whether several windows can be read at once (the content is in a file); else one at a time.</summary>
    public bool ReadsByPosition => _file is not null;

    public static async Task<ArtifactContent> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        // A type derived from FileStream may change what is read, so only FileStream itself is read by position.
        if (content.GetType() == typeof(FileStream) && content.CanSeek && content.CanRead)
        {
            var start = content.Position;
            var file = ((FileStream)content).SafeFileHandle;
            var (length, sha) = await HashFileAsync(file, start, cancellationToken).ConfigureAwait(false);
            return new ArtifactContent(file, content, start, length, sha, null);
        }

        if (content.CanSeek)
        {
            var start = content.Position;
            var sha = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
            var length = content.Position - start;
            content.Seek(start, SeekOrigin.Begin);
            return new ArtifactContent(null, content, start, length, sha, null);
        }

        return await SpoolAsync(content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A view of <paramref name="length"/> bytes from <paramref name="offset"/> in the content.</summary>
    /// <remarks>
    /// A window over a file reads it in blocks of <see cref="WindowBufferSize"/>: the SDK reads a body in small pieces
    /// (4 KiB to hash it), and a positional read for each would cost a system call.
    /// </remarks>
    public Stream Window(long offset, long length) =>
        _file is not null
            ? new BufferedStream(new ContentWindow(_file, _start + offset, length), WindowBufferSize)
            : new ContentWindow(_stream, _start + offset, length);

    public ValueTask DisposeAsync() => _spool?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<(long Length, byte[] Sha256)> HashFileAsync(SafeFileHandle file, long start, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var offset = start;
            int read;
            while ((read = await RandomAccess.ReadAsync(file, buffer, offset, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                offset += read;
            }

            return (offset - start, hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<ArtifactContent> SpoolAsync(Stream content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "necrocode-s3-" + Guid.NewGuid().ToString("N") + ".tmp");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            return new ArtifactContent(spool.SafeFileHandle, spool, 0, spool.Length, hash.GetHashAndReset(), spool);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
