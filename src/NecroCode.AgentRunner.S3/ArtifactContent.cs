using System.Buffers;
using System.Security.Cryptography;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// An artifact's content made ready for upload: its length and SHA-256 are known before the first byte is sent
/// (they go into the object's metadata) and it can be read from the start again. A seekable stream is hashed in a
/// first pass and rewound; any other is copied to a temp file (deleted on dispose) while it is hashed, so the
/// content is never held in memory whole.
/// </summary>
internal sealed class ArtifactContent : IAsyncDisposable
{
    private readonly Stream? _spool;

    private ArtifactContent(Stream stream, long start, long length, string sha256, Stream? spool)
    {
        Stream = stream;
        Start = start;
        Length = length;
        Sha256 = sha256;
        _spool = spool;
    }

    /// <summary>The content, positioned at <see cref="Start"/>; it can seek.</summary>
    public Stream Stream { get; }

    /// <summary>Where the content starts in <see cref="Stream"/>.</summary>
    public long Start { get; }

    public long Length { get; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public string Sha256 { get; }

    public static async Task<ArtifactContent> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            var start = content.Position;
            var sha = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
            var length = content.Position - start;
            content.Seek(start, SeekOrigin.Begin);
            return new ArtifactContent(content, start, length, Convert.ToHexStringLower(sha), null);
        }

        var path = Path.Combine(Path.GetTempPath(), "necrocode-s3-" + Guid.NewGuid().ToString("N") + ".tmp");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            var length = spool.Length;
            spool.Seek(0, SeekOrigin.Begin);
            return new ArtifactContent(spool, 0, length, Convert.ToHexStringLower(hash.GetHashAndReset()), spool);
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

    public ValueTask DisposeAsync() => _spool?.DisposeAsync() ?? ValueTask.CompletedTask;
}
