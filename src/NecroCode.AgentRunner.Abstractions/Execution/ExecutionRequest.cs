namespace NecroCode.AgentRunner;

/// <summary>A task to run in an execution environment.</summary>
/// <param name="Task">The (valid) task.</param>
/// <param name="Events">
/// The caller's own sink for the run's events, in order, as they happen; null for none. The runner's registered
/// <see cref="IRunEventObserver"/>s see the events in every environment, whether or not there is a sink.
/// </param>
public sealed record ExecutionRequest(TaskContext Task, IRunEventSink? Events = null)
{
    /// <summary>
    /// Resume the task's run that was killed half-way, from its journal (the same runner id, no side effect repeated),
    /// instead of starting a new one; without a journal it is a fresh run. Only for an environment whose
    /// <see cref="IExecutionEnvironment.SupportsResume"/> is true. Default false.
    /// </summary>
    public bool Resume { get; init; }
}
