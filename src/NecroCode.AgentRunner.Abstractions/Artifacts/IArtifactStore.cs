namespace NecroCode.AgentRunner;

/// <summary>Keeps the artifacts of runs (diff, run log, test results) and names them by URI.</summary>
public interface IArtifactStore
{
    /// <summary>Stores an artifact. Storing the same key again replaces it.</summary>
    /// <param name="key">Where it belongs.</param>
    /// <param name="content">Its content, read to the end.</param>
    /// <param name="cancellationToken">Cancels the upload; nothing half-written remains.</param>
    /// <returns>The URI under which the store keeps it.</returns>
    /// <exception cref="ArtifactStoreException">The store could not keep it.</exception>
    Task<Uri> StoreAsync(ArtifactKey key, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a stored artifact for reading.</summary>
    /// <param name="uri">A URI returned by <see cref="StoreAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A readable stream; the caller disposes it.</returns>
    /// <exception cref="ArtifactStoreException">The artifact does not exist or is not this store's.</exception>
    Task<Stream> OpenReadAsync(Uri uri, CancellationToken cancellationToken);
}
