namespace NecroCode.AgentRunner;

/// <summary>An entry of a task's event log in the registry.</summary>
/// <param name="Task">The task.</param>
/// <param name="Type">The event type; see <see cref="TaskEventTypes"/>.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="RunnerId">The runner that recorded it.</param>
/// <param name="Message">A masked, human-readable message.</param>
/// <param name="Data">Extra masked fields (branch, commit, artifact URI …).</param>
public sealed record TaskEvent(
    TaskKey Task,
    string Type,
    DateTimeOffset Timestamp,
    string RunnerId,
    string? Message = null,
    IReadOnlyDictionary<string, string>? Data = null);
