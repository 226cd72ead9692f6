namespace NecroCode.AgentRunner;

/// <summary>
/// Another runner already holds the task, its branch or its slot. Decided atomically by the
/// registry or slot pool; never retried by the runner.
/// </summary>
/// <param name="message">What is held, and by whom.</param>
/// <param name="heldBy">The runner that holds it, when known.</param>
public sealed class TaskConflictException(string message, string? heldBy = null) : AgentRunnerException(message)
{
    /// <summary>The runner that holds the contested resource, when known.</summary>
    public string? HeldBy { get; } = heldBy;
}
