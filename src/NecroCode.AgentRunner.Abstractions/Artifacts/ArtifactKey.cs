namespace NecroCode.AgentRunner;

/// <summary>Where an artifact belongs: its task, the runner that made it and its file name.</summary>
/// <param name="Task">The task.</param>
/// <param name="RunnerId">The runner.</param>
/// <param name="Name">The artifact's file name (no directories), e.g. <c>diff.patch</c>.</param>
public sealed record ArtifactKey(TaskKey Task, string RunnerId, string Name);
