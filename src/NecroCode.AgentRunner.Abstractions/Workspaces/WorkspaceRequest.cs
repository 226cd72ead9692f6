namespace NecroCode.AgentRunner;

/// <summary>A request to prepare a slot for a task (R2).</summary>
/// <param name="Path">The slot's working directory.</param>
/// <param name="Branch">The task branch to create and check out.</param>
/// <param name="Task">The task.</param>
/// <param name="Events">Where recovery and retry events go.</param>
public sealed record WorkspaceRequest(string Path, string Branch, TaskKey Task, IRunEventSink Events);
