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

    /// <summary>
    /// The runner id to run under, when the caller has already claimed the task under it (a worker that took the task
    /// from an <see cref="ITaskQueue"/>); null (the default) lets the run pick a new id of its own. The run's own claim
    /// is then the holder's claim again, and a journal that a runner gone from this machine left for the task is resumed
    /// under this id (a take-over repeats no commit or push). Environments that cannot run under a given id refuse the
    /// request with <see cref="NotSupportedException"/>.
    /// </summary>
    public string? RunnerId { get; init; }
}
