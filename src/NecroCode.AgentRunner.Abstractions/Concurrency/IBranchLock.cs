namespace NecroCode.AgentRunner;

/// <summary>
/// Keeps two runners from pushing one branch at once: whoever pushes a branch holds its lock for
/// the push, across processes. A crashed holder's lock is freed by the system.
/// </summary>
public interface IBranchLock
{
    /// <summary>Takes the branch's lock, waiting up to <paramref name="wait"/> for another holder to let go.</summary>
    /// <param name="branch">The branch (any name; it is hashed into a file name).</param>
    /// <param name="runnerId">The runner taking it (named to others who wait for it).</param>
    /// <param name="wait">Longest wait; <see cref="TimeSpan.Zero"/> to try once, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock; dispose it to let go.</returns>
    /// <exception cref="ArgumentException">The branch or runner id is empty, or the wait is negative.</exception>
    /// <exception cref="TaskConflictException">Another runner held the branch for the whole wait; it names that runner.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting; nothing is held.</exception>
    Task<IAsyncDisposable> AcquireBranchAsync(string branch, string runnerId, TimeSpan wait, CancellationToken cancellationToken);
}
