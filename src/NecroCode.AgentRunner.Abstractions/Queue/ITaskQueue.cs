using System.Diagnostics.CodeAnalysis;

namespace NecroCode.AgentRunner;

/// <summary>
/// The queue of tasks waiting for a runner, shared by every worker that uses the same registry: tasks are enqueued
/// once and each is claimed by exactly one worker at a time (a claim is the registry's lease, see <see cref="TaskClaim"/>).
/// </summary>
/// <remarks>
/// A task is queued while its registry state is Pending and its definition is known to the queue. Claiming it makes it
/// Running under the claiming runner, exactly as <see cref="ITaskRegistry.TryClaimTaskAsync"/> does; a Running task
/// whose holder's claim expired (or, on one machine, whose holder's process is gone) is claimable again, oldest first,
/// so that another worker takes it over. A task that ends Done or Failed leaves the queue.
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue of tasks, and named so.")]
public interface ITaskQueue
{
    /// <summary>Adds a task to the queue (state Pending), or replaces the definition of one still waiting in it.</summary>
    /// <param name="task">The task's definition, as the worker will run it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The queue's entry for the task.</returns>
    /// <exception cref="TaskConflictException">The task is Running under a live claim; it names the holder.</exception>
    Task<QueueEntry> EnqueueAsync(TaskContext task, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the next task for <paramref name="runnerId"/>: the oldest waiting one, or the oldest whose holder's claim
    /// expired. Of several workers asking at once, each gets a different task.
    /// </summary>
    /// <param name="runnerId">The runner that will run it (its id is the claim's holder).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claimed task, or null when nothing is claimable now.</returns>
    Task<QueuedTask?> ClaimNextAsync(string runnerId, CancellationToken cancellationToken);

    /// <summary>Hands a claimed task back to the queue (state Pending), ending <paramref name="runnerId"/>'s claim.</summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner that holds it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the task is waiting again.</returns>
    /// <exception cref="ClaimLostException">The runner no longer holds the task.</exception>
    Task ReturnAsync(TaskKey task, string runnerId, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until a task may have become claimable (one was enqueued or handed back, or a claim ended), or until
    /// <paramref name="timeout"/> has passed. A wake-up is a hint, not a promise: call <see cref="ClaimNextAsync"/>.
    /// </summary>
    /// <param name="timeout">The longest wait; expired claims are noticed at the latest then.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes on a hint or at the timeout.</returns>
    Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Lists the tasks the queue knows, oldest first.</summary>
    /// <param name="state">Only tasks in this state; every task when null.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<QueueEntry>> ListAsync(TaskState? state, CancellationToken cancellationToken);

    /// <summary>Reads one task's entry and definition.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The task, or null when the queue does not know it.</returns>
    Task<QueuedTask?> GetAsync(TaskKey task, CancellationToken cancellationToken);
}
