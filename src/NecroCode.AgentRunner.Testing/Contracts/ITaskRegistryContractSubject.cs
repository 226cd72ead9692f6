namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>
/// What <see cref="TaskRegistryContract"/> needs of a provider: fresh clients of one backing store, and a way to make a
/// runner's claim lapse as it would when the runner dies, is paused past its lease or is cut off.
/// </summary>
/// <remarks>
/// Every case uses task keys and runner ids of its own, so one store may serve several cases; a store per case is
/// fine too. The subject owns what it opens and disposes of it when the test ends.
/// </remarks>
public interface ITaskRegistryContractSubject
{
    /// <summary>Opens a client of the store under test, as another runner process would; several may be open at once.</summary>
    /// <returns>The registry.</returns>
    ITaskRegistry OpenRegistry();

    /// <summary>
    /// Makes <paramref name="runnerId"/>'s claim of <paramref name="task"/> lapse, as if the runner had died or had not
    /// renewed it in time (for example: its registration goes, its process ends, its lease is moved into the past).
    /// Afterwards another runner may take the task over, and the runner's renewal and writes are refused.
    /// </summary>
    /// <param name="task">The task the runner holds.</param>
    /// <param name="runnerId">The runner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the claim has lapsed.</returns>
    Task LapseClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken);
}
