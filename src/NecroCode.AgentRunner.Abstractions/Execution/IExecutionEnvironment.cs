namespace NecroCode.AgentRunner;

/// <summary>
/// Where a run executes: in this process, in a Docker container, or as a Kubernetes Job. Every environment returns
/// the same result model and forwards the same run events as local mode. A host runs every task through it and
/// decides by what the environment says it can do (<see cref="SupportsResume"/>), never by its <see cref="Name"/>.
/// </summary>
public interface IExecutionEnvironment
{
    /// <summary>A short name of the environment for messages and logs: <c>local</c>, <c>docker</c>, <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the environment can resume a killed run (<see cref="ExecutionRequest.Resume"/>). False unless an
    /// environment says otherwise; a run out of process starts afresh each time.
    /// </summary>
    bool SupportsResume => false;

    /// <summary>Runs the task to its end (or resumes its killed run), forwarding its events.</summary>
    /// <param name="request">The task, the event sink and whether to resume.</param>
    /// <param name="cancellationToken">Stops the run (and whatever the environment started for it).</param>
    /// <returns>The run summary.</returns>
    /// <exception cref="TaskValidationException">The task is invalid; nothing was started.</exception>
    /// <exception cref="NotSupportedException">The request asks to resume and <see cref="SupportsResume"/> is false; nothing was started.</exception>
    /// <exception cref="ExecutionEnvironmentException">The environment itself failed (e.g. engine unreachable, image missing).</exception>
    Task<RunnerResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken);
}
