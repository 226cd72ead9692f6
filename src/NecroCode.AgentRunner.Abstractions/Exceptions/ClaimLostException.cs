namespace NecroCode.AgentRunner;

/// <summary>
/// A runner wrote to a task it no longer holds: its claim expired (the runner was paused, partitioned or too slow
/// to renew it) or another runner has taken the task over since. The registry refused the write; the runner must stop
/// working on the task without reporting, committing a state or releasing anything more.
/// </summary>
/// <param name="message">What was refused, naming the task, the runner and, when known, the new holder.</param>
/// <param name="task">The task.</param>
/// <param name="runnerId">The runner whose write was refused.</param>
/// <param name="heldBy">The runner that holds the task now, when known.</param>
public sealed class ClaimLostException(string message, TaskKey task, string runnerId, string? heldBy = null) : AgentRunnerException(message)
{
    /// <summary>The task.</summary>
    public TaskKey Task { get; } = task;

    /// <summary>The runner whose write was refused.</summary>
    public string RunnerId { get; } = runnerId;

    /// <summary>The runner that holds the task now, when known.</summary>
    public string? HeldBy { get; } = heldBy;
}
