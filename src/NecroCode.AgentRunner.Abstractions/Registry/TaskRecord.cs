namespace NecroCode.AgentRunner;

/// <summary>What the registry knows of a task.</summary>
/// <param name="Task">The task.</param>
/// <param name="State">Its state.</param>
/// <param name="RunnerId">The runner that last changed it.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Artifacts">Its artifacts, by name.</param>
public sealed record TaskRecord(
    TaskKey Task,
    TaskState State,
    string? RunnerId,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ArtifactRecord> Artifacts);
