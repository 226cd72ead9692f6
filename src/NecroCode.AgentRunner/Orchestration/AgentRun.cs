namespace NecroCode.AgentRunner.Orchestration;

/// <summary>A run in progress: its live events and its eventual result (R18).</summary>
public sealed class AgentRun
{
    internal AgentRun(string runnerId, TaskKey task, IAsyncEnumerable<RunEvent> events, Task<RunnerResult> completion)
    {
        RunnerId = runnerId;
        Task = task;
        Events = events;
        Completion = completion;
    }

    /// <summary>The runner's unique id.</summary>
    public string RunnerId { get; }

    /// <summary>The task being run.</summary>
    public TaskKey Task { get; }

    /// <summary>
    /// Every masked event of the run, in order, from its first; ends when the run has ended.
    /// Enumerate it once. Events are buffered, so a slow reader never slows the run.
    /// </summary>
    public IAsyncEnumerable<RunEvent> Events { get; }

    /// <summary>Completes with the run summary when the run has ended (after the slot is released).</summary>
    public Task<RunnerResult> Completion { get; }
}
