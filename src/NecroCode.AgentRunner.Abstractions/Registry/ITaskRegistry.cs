namespace NecroCode.AgentRunner;

/// <summary>
/// The task registry: task states, event logs, artifact URIs and runner registrations.
/// Implementations must be safe for several runner processes at once.
/// </summary>
/// <remarks>
/// <para>
/// Claims are leases (see <see cref="TaskClaim"/>). While a task is Running under a claim, the registry accepts a
/// write about the task — <see cref="SetTaskStateAsync"/>, <see cref="AppendEventAsync"/>,
/// <see cref="AddArtifactAsync"/> — only from the runner that holds the claim, and only while the claim has not
/// expired; any other write about it is refused with <see cref="ClaimLostException"/>. Writes about a task nobody
/// holds are accepted. Setting a held task's state to anything but Running ends the claim.
/// </para>
/// <para>
/// Runner registrations expire with their claims: a runner whose claim expired no longer counts as registered, so
/// nothing needs to be cleaned up by hand after a machine dies.
/// </para>
/// </remarks>
public interface ITaskRegistry
{
    /// <summary>Registers a runner.</summary>
    /// <param name="registration">The runner.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the registration is durable.</returns>
    Task RegisterRunnerAsync(RunnerRegistration registration, CancellationToken cancellationToken);

    /// <summary>Removes a runner's registration; unknown ids are ignored.</summary>
    /// <param name="runnerId">The runner's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the registration is gone.</returns>
    Task UnregisterRunnerAsync(string runnerId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a task for a runner, atomically: the claim succeeds, and the task becomes
    /// Running under <paramref name="runnerId"/>, unless another runner that is still alive holds it
    /// Running. Of several runners claiming one task at the same instant, exactly one succeeds.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The claiming runner (registered before).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the runner holds the task now (with the claim's fencing number and expiry), and otherwise who does.</returns>
    /// <remarks>A runner whose claim has expired is no longer alive for this purpose: its task may be taken over.</remarks>
    Task<TaskClaim> TryClaimTaskAsync(TaskKey task, string runnerId, CancellationToken cancellationToken);

    /// <summary>
    /// Renews <paramref name="runnerId"/>'s claim of <paramref name="task"/> (and its registration), pushing the
    /// claim's expiry out by the registry's lease duration. The holder calls it well before <see cref="TaskClaim.ExpiresAt"/>.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner that claimed it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The renewed claim; or one with <see cref="TaskClaim.Claimed"/> false when the runner no longer holds the task
    /// (its claim expired, the task was taken over or is no longer Running), naming the new holder when there is one.
    /// A claim that has expired is not revived, even if nobody has taken the task over yet.
    /// </returns>
    Task<TaskClaim> RenewClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken);

    /// <summary>Sets a task's state, creating the task's record when needed.</summary>
    /// <param name="task">The task.</param>
    /// <param name="state">Its new state.</param>
    /// <param name="runnerId">The runner changing it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the state is durable.</returns>
    /// <exception cref="ClaimLostException">The task is held, and not by <paramref name="runnerId"/> under a live claim.</exception>
    Task SetTaskStateAsync(TaskKey task, TaskState state, string runnerId, CancellationToken cancellationToken);

    /// <summary>Appends an event to a task's event log.</summary>
    /// <param name="taskEvent">The (masked) event.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the event is durable.</returns>
    /// <exception cref="ClaimLostException">The task is held, and not by the event's runner under a live claim.</exception>
    Task AppendEventAsync(TaskEvent taskEvent, CancellationToken cancellationToken);

    /// <summary>Records an artifact of a task; a record with the same name replaces the earlier one.</summary>
    /// <param name="task">The task.</param>
    /// <param name="artifact">The artifact.</param>
    /// <param name="runnerId">The runner recording it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    /// <exception cref="ClaimLostException">The task is held, and not by <paramref name="runnerId"/> under a live claim.</exception>
    Task AddArtifactAsync(TaskKey task, ArtifactRecord artifact, string runnerId, CancellationToken cancellationToken);

    /// <summary>Reads a task's record.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or null when the registry does not know the task.</returns>
    Task<TaskRecord?> GetTaskAsync(TaskKey task, CancellationToken cancellationToken);

    /// <summary>Reads a task's event log, oldest first.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The events.</returns>
    Task<IReadOnlyList<TaskEvent>> GetEventsAsync(TaskKey task, CancellationToken cancellationToken);

    /// <summary>Reads the registered runners.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registrations.</returns>
    Task<IReadOnlyList<RunnerRegistration>> GetRunnersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Claims <paramref name="branch"/> for <paramref name="task"/>, atomically: a branch belongs for good to the
    /// first task that claims it (the runner claims it right before its first push), so that one task's push never
    /// replaces another task's branch. A claim by the owner again (a re-run, a resume) succeeds.
    /// </summary>
    /// <param name="branch">The branch name (compared ignoring letter case: on a case-insensitive file system two
    /// names that differ only in case are one ref).</param>
    /// <param name="task">The task that wants to push it.</param>
    /// <param name="runnerId">The runner claiming it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The branch's claim: <paramref name="task"/>'s own, or the earlier claim of the task that owns it.</returns>
    Task<BranchClaim> TryClaimBranchAsync(string branch, TaskKey task, string runnerId, CancellationToken cancellationToken);

    /// <summary>Reads who owns <paramref name="branch"/> (see <see cref="TryClaimBranchAsync"/>).</summary>
    /// <param name="branch">The branch name (compared ignoring letter case).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claim, or null when no task has claimed the branch.</returns>
    Task<BranchClaim?> GetBranchClaimAsync(string branch, CancellationToken cancellationToken);
}
