namespace NecroCode.AgentRunner.Orchestration;

/// <summary>A branch belongs to the first task that pushed it: the registry's branch claims say which.</summary>
internal sealed class BranchOwnership(ITaskRegistry registry)
{
    /// <summary>Refuses a task whose branch the registry gives to another task.</summary>
    /// <param name="task">The task.</param>
    /// <param name="branch">Its branch.</param>
    /// <param name="cancellationToken">Cancels asking the registry.</param>
    /// <returns>A task that completes when the branch is the task's (or nobody's).</returns>
    /// <exception cref="TaskConflictException">Another task owns the branch.</exception>
    public async Task EnsureTheTasksAsync(TaskKey task, string branch, CancellationToken cancellationToken)
    {
        if (await registry.GetBranchClaimAsync(branch, cancellationToken).ConfigureAwait(false) is { } claim && !claim.IsOwnedBy(task))
        {
            throw new TaskConflictException(TakenMessage(task, claim), claim.RunnerId);
        }
    }

    /// <summary>Says that <paramref name="claim"/> gives the branch of <paramref name="task"/> to another task, and what to do.</summary>
    /// <param name="task">The task that wanted the branch.</param>
    /// <param name="claim">The branch's claim.</param>
    /// <returns>The message.</returns>
    public static string TakenMessage(TaskKey task, BranchClaim claim) =>
        $"The branch '{claim.Branch}' of task {task} belongs to task {claim.Owner}, which pushed it first (runner {claim.RunnerId}, {claim.ClaimedAt:O}); nothing of {task} was run. Give {task} a branch of its own (branchName, or a branch template that tells the tasks apart).";
}
