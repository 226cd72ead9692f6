namespace NecroCode.AgentRunner;

/// <summary>A task of the queue with its definition; after <see cref="ITaskQueue.ClaimNextAsync"/>, with the claim.</summary>
/// <param name="Entry">The queue's entry.</param>
/// <param name="Definition">The task, as enqueued.</param>
/// <param name="Claim">The claim the caller now holds; null when the task was only read.</param>
public sealed record QueuedTask(QueueEntry Entry, TaskContext Definition, TaskClaim? Claim = null);
