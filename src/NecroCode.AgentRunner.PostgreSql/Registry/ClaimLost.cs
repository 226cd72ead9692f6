namespace NecroCode.AgentRunner.PostgreSql.Registry;

/// <summary>Words the refusal of a write by a runner that no longer holds its task.</summary>
internal static class ClaimLost
{
    /// <summary>The exception for a refused write.</summary>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner whose write was refused.</param>
    /// <param name="holder">The task's holder of record: another runner, or the same one whose claim expired.</param>
    /// <param name="write">What was refused, e.g. "set its state to Done".</param>
    /// <returns>The exception, naming task, runner and the new holder.</returns>
    public static ClaimLostException Refuse(TaskKey task, string runnerId, string? holder, string write)
    {
        var heldBy = string.Equals(holder, runnerId, StringComparison.Ordinal) ? null : holder;
        var why = heldBy is null
            ? "its claim expired (it did not renew it in time)"
            : $"runner {heldBy} holds the task now";
        return new ClaimLostException($"Runner {runnerId} may no longer write task {task}: {why}; refused to {write}.", task, runnerId, heldBy);
    }
}
