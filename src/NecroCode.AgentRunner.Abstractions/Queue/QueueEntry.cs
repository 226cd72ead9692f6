namespace NecroCode.AgentRunner;

/// <summary>What the queue knows of a task.</summary>
/// <param name="Task">The task.</param>
/// <param name="State">Its registry state.</param>
/// <param name="EnqueuedAt">When it was (last) enqueued.</param>
/// <param name="UpdatedAt">When its state last changed.</param>
/// <param name="RunnerId">The runner that holds it, or last held it; null when never claimed.</param>
/// <param name="Claims">How many times it has been claimed (more than one after a take-over or a hand-back).</param>
public sealed record QueueEntry(TaskKey Task, TaskState State, DateTimeOffset EnqueuedAt, DateTimeOffset UpdatedAt, string? RunnerId, int Claims);
