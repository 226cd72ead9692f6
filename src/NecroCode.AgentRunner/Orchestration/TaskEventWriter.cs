namespace NecroCode.AgentRunner.Orchestration;

/// <summary>Appends a run's events to the task's record in the registry, masked and stamped with the runner and the time.</summary>
internal sealed class TaskEventWriter(ITaskRegistry registry, ISecretMasker masker, TimeProvider time)
{
    /// <summary>Appends one event of <paramref name="context"/>'s task.</summary>
    /// <param name="context">The run.</param>
    /// <param name="type">The event type (<see cref="TaskEventTypes"/>).</param>
    /// <param name="message">Its message, if any.</param>
    /// <param name="data">Its data.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>A task that completes when the registry holds the event.</returns>
    /// <remarks>A run that lost its claim writes nothing more: the event is dropped.</remarks>
    public Task AppendAsync(RunContext context, string type, string? message, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        if (context.ClaimLost is not null)
        {
            return Task.CompletedTask;
        }

        var masked = data.ToDictionary(p => p.Key, p => masker.Apply(p.Value), StringComparer.Ordinal);
        var taskEvent = new TaskEvent(context.Key, type, time.GetUtcNow(), context.RunnerId, message is null ? null : masker.Apply(message), masked);
        return registry.AppendEventAsync(taskEvent, cancellationToken);
    }
}
