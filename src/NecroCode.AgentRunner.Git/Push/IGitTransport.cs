namespace NecroCode.AgentRunner.Git;

/// <summary>
/// The network side of the workspace manager: fetch and push one refspec to an explicit URL. The CLI transport
/// hands an HTTPS token to git through the child process's environment, never through the URL or config.
/// </summary>
internal interface IGitTransport
{
    /// <summary>Fetches <paramref name="refSpec"/> from <paramref name="endpoint"/>.</summary>
    /// <param name="path">The working directory.</param>
    /// <param name="endpoint">The URL and the secrets that authenticate it.</param>
    /// <param name="refSpec">The refspec, e.g. <c>+refs/heads/main:refs/remotes/origin/main</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the fetch succeeded.</returns>
    /// <exception cref="GitTransportException">The fetch failed; its kind tells whether to retry.</exception>
    Task FetchAsync(string path, GitEndpoint endpoint, string refSpec, CancellationToken cancellationToken);

    /// <summary>Pushes <paramref name="refSpec"/> to <paramref name="endpoint"/>: a fast-forward, or a replacement leased on the remote's commit.</summary>
    /// <param name="path">The working directory.</param>
    /// <param name="endpoint">The URL and the secrets that authenticate it.</param>
    /// <param name="refSpec">The refspec, always <c>refs/heads/X:refs/heads/X</c>.</param>
    /// <param name="leaseCommit">
    /// Null for a plain (fast-forward only) push; else the commit the remote branch must still be at for it
    /// to be replaced (<c>--force-with-lease</c>).
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the remote accepted the push.</returns>
    /// <exception cref="GitTransportException">The push failed; its kind tells whether to retry.</exception>
    Task PushAsync(string path, GitEndpoint endpoint, string refSpec, string? leaseCommit, CancellationToken cancellationToken);

    /// <summary>Lists the remote's branches and the one its <c>HEAD</c> names (its default branch).</summary>
    /// <param name="path">The working directory.</param>
    /// <param name="endpoint">The URL and the secrets that authenticate it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The default branch (null when the remote's HEAD names none) and every branch name, sorted.</returns>
    /// <exception cref="GitTransportException">The remote could not be asked; its kind tells whether to retry.</exception>
    Task<(string? DefaultBranch, IReadOnlyList<string> Branches)> ListBranchesAsync(string path, GitEndpoint endpoint, CancellationToken cancellationToken);
}
