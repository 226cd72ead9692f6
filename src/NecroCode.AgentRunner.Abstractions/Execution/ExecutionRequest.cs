namespace NecroCode.AgentRunner;

/// <summary>A task to run in an execution environment.</summary>
/// <param name="Task">The (valid) task.</param>
/// <param name="Events">Where the run's events are forwarded as they happen, in order.</param>
public sealed record ExecutionRequest(TaskContext Task, IRunEventSink Events);
