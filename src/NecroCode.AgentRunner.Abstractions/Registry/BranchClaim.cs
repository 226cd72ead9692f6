namespace NecroCode.AgentRunner;

/// <summary>Which task a branch belongs to: the first task that pushed it (<see cref="ITaskRegistry.TryClaimBranchAsync"/>).</summary>
/// <param name="Branch">The branch name.</param>
/// <param name="Owner">The task that owns it.</param>
/// <param name="RunnerId">The runner that claimed it for that task.</param>
/// <param name="ClaimedAt">When.</param>
public sealed record BranchClaim(string Branch, TaskKey Owner, string RunnerId, DateTimeOffset ClaimedAt)
{
    /// <summary>Whether <paramref name="task"/> may push the branch: it is the owner.</summary>
    /// <param name="task">The task that wants the branch.</param>
    /// <returns>Whether it owns it.</returns>
    public bool IsOwnedBy(TaskKey task) => Owner == task;
}
