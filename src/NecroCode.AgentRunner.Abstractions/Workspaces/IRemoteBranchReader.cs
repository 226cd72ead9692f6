namespace NecroCode.AgentRunner;

/// <summary>
/// Asks a slot's remote which commit one of its branches points to, with the run's credentials: what a host
/// checks before it believes a push it did not make itself (a container's, for instance). Optional: an
/// environment that finds none registered falls back to a plain, unauthenticated query.
/// </summary>
public interface IRemoteBranchReader
{
    /// <summary>
    /// Reads <c>refs/heads/<paramref name="branch"/></c> at the remote the slot at <paramref name="slotPath"/> pushes
    /// to (the runner's configured remote, by the URL written in the slot's own configuration).
    /// </summary>
    /// <param name="slotPath">The slot (a clone) whose remote is asked; only its configuration is read.</param>
    /// <param name="branch">The branch, a plain branch name such as <c>feature/1-add-subtraction</c>.</param>
    /// <param name="secrets">The run's secrets (the git token, for instance); <see cref="RunSecrets.None"/> when it has none.</param>
    /// <param name="cancellationToken">Cancels the query (and stops whatever it started).</param>
    /// <returns>The commit id the branch points to, or null when the remote has no such branch.</returns>
    /// <exception cref="ArgumentException"><paramref name="slotPath"/> is empty or <paramref name="branch"/> is not a valid branch name.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is null.</exception>
    /// <exception cref="RemoteAuthenticationException">The remote refused the credentials (or none were there to give); never transient.</exception>
    /// <exception cref="WorkspaceException">
    /// The slot is not a repository or has no such remote, or the remote could not be asked (<see cref="AgentRunnerException.IsTransient"/>
    /// for network failures and timeouts, once the provider's own retries are spent).
    /// </exception>
    Task<string?> ReadBranchAsync(string slotPath, string branch, IRunSecrets secrets, CancellationToken cancellationToken);
}
