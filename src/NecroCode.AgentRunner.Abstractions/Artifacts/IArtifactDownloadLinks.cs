namespace NecroCode.AgentRunner;

/// <summary>
/// Implemented by an <see cref="IArtifactStore"/> that can hand out a time-limited link to a stored artifact, for a
/// person or a tool that has no access to the store itself (an object store's presigned URL, for example). A host
/// shows the links next to the artifacts in its run summary; a store that cannot make them does not implement this.
/// </summary>
public interface IArtifactDownloadLinks
{
    /// <summary>Makes a link that downloads the artifact at <paramref name="uri"/> until it expires.</summary>
    /// <param name="uri">A URI the store returned from <see cref="IArtifactStore.StoreAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The link and when it expires; null when the store is configured to make no links.</returns>
    /// <exception cref="ArtifactStoreException"><paramref name="uri"/> is not this store's, or no link could be made.</exception>
    Task<ArtifactDownloadLink?> CreateDownloadLinkAsync(Uri uri, CancellationToken cancellationToken);
}
