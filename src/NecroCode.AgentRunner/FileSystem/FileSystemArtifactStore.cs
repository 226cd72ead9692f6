using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// The embedded artifact store: files under <see cref="FileSystemOptions.ArtifactsPath"/>, at
/// <c>&lt;spec&gt;/&lt;task&gt;/&lt;runner&gt;/&lt;name&gt;</c>, named by <c>file://</c> URIs. Each artifact is written to a
/// temp file and renamed into place, so a cancelled or failed upload leaves nothing behind.
/// </summary>
public sealed partial class FileSystemArtifactStore : IArtifactStore
{
    private readonly string _root;
    private readonly ILogger<FileSystemArtifactStore> _logger;

    /// <summary>Creates the store over <see cref="FileSystemOptions.ArtifactsPath"/>.</summary>
    /// <param name="options">Where.</param>
    /// <param name="logger">The logger.</param>
    public FileSystemArtifactStore(IOptions<FileSystemOptions> options, ILogger<FileSystemArtifactStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _root = options.Value.GetArtifactsPath();
        _logger = logger;
    }

    /// <summary>The store's folder (absolute).</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The spec, task id, runner id or artifact name is not a safe file name.</exception>
    /// <exception cref="OperationCanceledException">The upload was cancelled; nothing was written.</exception>
    public async Task<Uri> StoreAsync(ArtifactKey key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(content);
        var path = Path.Combine(
            _root,
            Check(key.Task.SpecName, "spec name"),
            Check(key.Task.TaskId, "task id"),
            Check(key.RunnerId, "runner id"),
            Check(key.Name, "artifact name"));
        try
        {
            await AtomicFile.WriteAsync(path, (stream, ct) => content.CopyToAsync(stream, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactStoreException($"The artifact '{key.Name}' of {key.Task} could not be stored at '{path}': {ex.Message}", ex, isTransient: ex is IOException);
        }

        // Written out as file:///…: a bare path (new Uri(path)'s original string) reads back as a relative URI.
        var uri = new Uri(new Uri(path).AbsoluteUri);
        Log.ArtifactStored(_logger, key.Name, key.Task.ToString(), uri);
        return uri;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        cancellationToken.ThrowIfCancellationRequested();
        if (!uri.IsAbsoluteUri || !uri.IsFile)
        {
            throw new ArtifactStoreException($"'{uri}' is not a file:// URI of the artifact store '{_root}'.");
        }

        var path = Path.GetFullPath(uri.LocalPath);
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArtifactStoreException($"'{uri}' is outside the artifact store '{_root}'.");
        }

        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
            return Task.FromResult(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtifactStoreException($"The artifact '{uri}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactStoreException($"The artifact '{uri}' could not be opened: {ex.Message}", ex, isTransient: ex is IOException);
        }
    }

    private static string Check(string value, string what, string paramName = "key")
    {
        PathSegment.Check(value, what, paramName);
        if (value.AsSpan().IndexOfAny("#?%") >= 0)
        {
            throw new ArgumentException($"The {what} '{value}' must not contain '#', '?' or '%' (they do not survive a file:// URI).", paramName);
        }

        return value;
    }
}
