using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;

namespace CustomProvider;

/// <summary>
/// An artifact store of the consumer's own: every content is kept once, as <c>blobs/&lt;sha-256&gt;</c>, and each
/// artifact key is a small index file naming its blob. A run log or diff that two runs produce alike takes its space
/// once. The URI names the key (<c>cas://artifacts/&lt;spec&gt;/&lt;task&gt;/&lt;runner&gt;/&lt;name&gt;</c>), so storing
/// a key again gives the same URI with the new content, as the <see cref="IArtifactStore"/> contract asks.
/// </summary>
public sealed class ContentAddressedArtifactStore(IOptions<ContentAddressedArtifactStoreOptions> options) : IArtifactStore
{
    /// <summary>The scheme of this store's URIs.</summary>
    public const string Scheme = "cas";

    private readonly string _blobs = Path.Combine(Path.GetFullPath(options.Value.RootPath), "blobs");
    private readonly string _keys = Path.Combine(Path.GetFullPath(options.Value.RootPath), "keys");

    /// <inheritdoc />
    public async Task<Uri> StoreAsync(ArtifactKey key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Directory.CreateDirectory(_blobs);
            Directory.CreateDirectory(_keys);

            // Stream into a temporary file while hashing: the content may be large and may not be seekable.
            var temporary = Path.Combine(_blobs, $".incoming-{Guid.NewGuid():N}");
            string hash;
            try
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        sha.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }

                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
                var blob = Path.Combine(_blobs, hash);
                if (File.Exists(blob))
                {
                    File.Delete(temporary); // the same content is stored already
                }
                else
                {
                    File.Move(temporary, blob, overwrite: true);
                }
            }
            finally
            {
                File.Delete(temporary); // nothing half-written remains when the copy failed or was cancelled
            }

            // The index is replaced in one step (write aside, then rename), so a reader sees the old blob or the new one.
            var index = IndexPath(key);
            var indexTemporary = index + ".tmp-" + Guid.NewGuid().ToString("N");
            await File.WriteAllTextAsync(indexTemporary, hash, cancellationToken);
            File.Move(indexTemporary, index, overwrite: true);
            return UriOf(key);
        }
        catch (IOException ex)
        {
            throw new ArtifactStoreException($"Artifact '{key.Name}' of task {key.Task} could not be stored under '{_blobs}': {ex.Message}", ex, isTransient: true);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ArtifactStoreException($"Artifact '{key.Name}' of task {key.Task} could not be stored under '{_blobs}': {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(uri) ?? throw new ArtifactStoreException($"'{uri}' is not an artifact of this store (expected {Scheme}://artifacts/<spec>/<task>/<runner>/<name>).");
        try
        {
            var hash = File.ReadAllText(IndexPath(key)).Trim();
            return Task.FromResult<Stream>(new FileStream(Path.Combine(_blobs, hash), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtifactStoreException($"Artifact '{uri}' does not exist.", ex);
        }
        catch (IOException ex)
        {
            throw new ArtifactStoreException($"Artifact '{uri}' could not be read: {ex.Message}", ex, isTransient: true);
        }
    }

    private static Uri UriOf(ArtifactKey key) =>
        new($"{Scheme}://artifacts/{Escape(key.Task.SpecName)}/{Escape(key.Task.TaskId)}/{Escape(key.RunnerId)}/{Escape(key.Name)}");

    private static ArtifactKey? KeyOf(Uri uri)
    {
        if (!uri.IsAbsoluteUri || uri.Scheme != Scheme || uri.Host != "artifacts")
        {
            return null;
        }

        var parts = uri.AbsolutePath.Trim('/').Split('/');
        return parts.Length == 4
            ? new ArtifactKey(new TaskKey(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1])), Uri.UnescapeDataString(parts[2]), Uri.UnescapeDataString(parts[3]))
            : null;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>The index file of a key: named by a hash of the key, so no name can reach outside the folder.</summary>
    private string IndexPath(ArtifactKey key)
    {
        var identity = Encoding.UTF8.GetBytes(string.Join('\0', key.Task.SpecName, key.Task.TaskId, key.RunnerId, key.Name));
        return Path.Combine(_keys, Convert.ToHexStringLower(SHA256.HashData(identity)));
    }
}
