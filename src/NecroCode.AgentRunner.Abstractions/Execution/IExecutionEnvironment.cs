namespace NecroCode.AgentRunner;

/// <summary>
/// Where a run executes (R9.1): in this process, in a Docker container, or as a Kubernetes Job. Every
/// environment returns the same result model and forwards the same run events as local mode.
/// </summary>
public interface IExecutionEnvironment
{
    /// <summary>A short name of the environment: <c>local</c>, <c>docker</c>, <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>Runs the task to its end, forwarding its events.</summary>
    /// <param name="request">The task and the event sink.</param>
    /// <param name="cancellationToken">Stops the run (and whatever the environment started for it).</param>
    /// <returns>The run summary.</returns>
    /// <exception cref="TaskValidationException">The task is invalid; nothing was started.</exception>
    /// <exception cref="ExecutionEnvironmentException">The environment itself failed (e.g. engine unreachable, image missing).</exception>
    Task<RunnerResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken);
}
