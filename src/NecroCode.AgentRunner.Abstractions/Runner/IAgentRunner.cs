namespace NecroCode.AgentRunner;

/// <summary>
/// Carries one task from "assigned" to "pushed branch + recorded result" in this process: register, acquire and
/// prepare a workspace, implement, test, commit, push, upload artifacts, report, release the slot — or the steps of
/// the task's playbook. The slot is released on every path; only a passing test run reaches commit and push.
/// </summary>
/// <remarks>
/// Added by <c>services.AddAgentRunner()</c>. Hosts that run tasks elsewhere (a container, a cluster) go through an
/// <see cref="IExecutionEnvironment"/>, whose local implementation runs on this interface.
/// </remarks>
public interface IAgentRunner
{
    /// <summary>Runs <paramref name="task"/> to its end.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run; the slot is still released and the run ends Cancelled.</param>
    /// <returns>The run summary; expected failures (agent, tests, push) are outcomes, not exceptions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed); nothing was touched.</exception>
    /// <exception cref="AgentRunnerException">The task's playbook is invalid (every problem listed); nothing was touched.</exception>
    /// <remarks>No live event stream is kept: the events go to the run log, the logger and the observers only.</remarks>
    Task<RunnerResult> RunAsync(TaskContext task, CancellationToken cancellationToken);

    /// <summary>Starts <paramref name="task"/> and returns at once with its live event stream.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run; the slot is still released and the run ends Cancelled.</param>
    /// <returns>The run in progress; its <see cref="AgentRun.Events"/> start with the first event.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed); nothing was touched.</exception>
    /// <exception cref="AgentRunnerException">The task's playbook is invalid (every problem listed); nothing was touched.</exception>
    Task<AgentRun> StartAsync(TaskContext task, CancellationToken cancellationToken);

    /// <summary>
    /// Resumes the run of <paramref name="task"/> that was killed half-way, from its journal: the same runner id,
    /// and no side effect (commit, push, artifact, completion event) repeated. Without a journal this is a fresh run.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run; the slot is still released and the run ends Cancelled.</param>
    /// <returns>The run summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed); nothing was touched.</exception>
    /// <exception cref="RegistryException">The task's journal is corrupt (named in the message).</exception>
    /// <exception cref="TaskConflictException">The run's runner still runs (on this host, or on another host); nothing was touched.</exception>
    Task<RunnerResult> ResumeAsync(TaskContext task, CancellationToken cancellationToken);

    /// <summary>
    /// Resumes the run of <paramref name="task"/> that was killed half-way, as <see cref="ResumeAsync"/> does, and
    /// returns at once with its live event stream.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the run; the slot is still released and the run ends Cancelled.</param>
    /// <returns>The run in progress; its <see cref="AgentRun.Events"/> start with the first event of this attempt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="TaskValidationException">The task is invalid (every problem listed); nothing was touched.</exception>
    /// <exception cref="RegistryException">The task's journal is corrupt (named in the message).</exception>
    /// <exception cref="TaskConflictException">The run's runner still runs (on this host, or on another host); nothing was touched.</exception>
    Task<AgentRun> StartResumeAsync(TaskContext task, CancellationToken cancellationToken);

    /// <summary>
    /// Checks <paramref name="task"/> the way starting it would, without touching anything: validates the task, loads
    /// and validates its playbook, resolves its branch and asks the registry whether the branch is the task's own.
    /// Hosts call it for every task before any runs.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels reading the playbook and asking the registry.</param>
    /// <returns>What a run of the task would do: its branch, its playbook and that playbook's steps.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="TaskValidationException">The task is invalid, or its branch name would be (every problem listed).</exception>
    /// <exception cref="AgentRunnerException">The task's playbook cannot be read or is invalid (every problem listed).</exception>
    /// <exception cref="TaskConflictException">The task's branch belongs to another task (the registry says which).</exception>
    Task<TaskPlan> CheckAsync(TaskContext task, CancellationToken cancellationToken);
}
