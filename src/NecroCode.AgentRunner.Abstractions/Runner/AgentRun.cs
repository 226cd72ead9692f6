namespace NecroCode.AgentRunner;

/// <summary>A run in progress: its live events and its eventual result.</summary>
public sealed class AgentRun
{
    /// <summary>Creates a run in progress (runners create it; test doubles of <see cref="IAgentRunner"/> may too).</summary>
    /// <param name="runnerId">The runner's unique id.</param>
    /// <param name="task">The task being run.</param>
    /// <param name="events">The run's live events (enumerable once).</param>
    /// <param name="completion">Completes with the run summary.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runnerId"/>, <paramref name="events"/> or <paramref name="completion"/> is null.</exception>
    public AgentRun(string runnerId, TaskKey task, IAsyncEnumerable<RunEvent> events, Task<RunnerResult> completion)
    {
        RunnerId = runnerId ?? throw new ArgumentNullException(nameof(runnerId));
        Task = task;
        Events = events ?? throw new ArgumentNullException(nameof(events));
        Completion = completion ?? throw new ArgumentNullException(nameof(completion));
    }

    /// <summary>The runner's unique id.</summary>
    public string RunnerId { get; }

    /// <summary>The task being run.</summary>
    public TaskKey Task { get; }

    /// <summary>
    /// The masked events of the run, in order, from its first; ends when the run has ended. Enumerate it once
    /// (a second enumeration throws <see cref="InvalidOperationException"/>); leaving the enumeration early stops
    /// the subscription.
    /// </summary>
    /// <remarks>
    /// A slow reader never slows the run, and memory stays bounded: every event but <see cref="OutputLine"/> is
    /// kept until read, and up to 1024 unread output lines; further lines are dropped for this reader (the run log
    /// keeps them all) and one <see cref="OutputDropped"/> with their count comes before the next event it gets.
    /// Sequence numbers then skip the dropped lines. Runs started with <see cref="IAgentRunner.RunAsync"/> or
    /// <see cref="IAgentRunner.ResumeAsync"/> have no live stream.
    /// </remarks>
    public IAsyncEnumerable<RunEvent> Events { get; }

    /// <summary>Completes with the run summary when the run has ended (after the slot is released).</summary>
    public Task<RunnerResult> Completion { get; }
}
