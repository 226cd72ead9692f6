using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Checks a task the way starting it would, without touching anything and without the agent: the task itself, its
/// playbook, its branch, and whether the registry gives that branch to the task (<see cref="IAgentRunner.CheckAsync"/>,
/// and the checks of tasks before they are queued).
/// </summary>
internal sealed class TaskCheck(BranchResolver branches, BranchOwnership ownership, IOptions<AgentRunnerOptions> options)
{
    /// <summary>Checks <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels reading the playbook and asking the registry.</param>
    /// <returns>What a run of the task would do.</returns>
    /// <exception cref="TaskValidationException">The task is invalid, or its branch name would be.</exception>
    /// <exception cref="AgentRunnerException">The task's playbook cannot be read or is invalid.</exception>
    /// <exception cref="TaskConflictException">The task's branch belongs to another task.</exception>
    public async Task<TaskPlan> CheckAsync(TaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        TaskContextValidator.ThrowIfInvalid(task);
        var branch = branches.Resolve(task);
        var resolved = await PlaybookLoader.ResolveAsync(task, options.Value.PlaybookPath, cancellationToken).ConfigureAwait(false);
        await ownership.EnsureTheTasksAsync(TaskKey.Of(task), branch, cancellationToken).ConfigureAwait(false);
        return new TaskPlan(TaskKey.Of(task), branch, resolved.Name, [.. resolved.Steps.Select(s => s.Name)]);
    }
}
