namespace NecroCode.AgentRunner.Execution;

/// <summary>
/// Runs a task in this process, and resumes a killed run from its journal. The run's events reach the runner's
/// observers (and its run log and logger) as every run's do, and the request's sink when it has one.
/// </summary>
/// <param name="orchestrator">The runner.</param>
public sealed class LocalExecutionEnvironment(IAgentRunner orchestrator) : IExecutionEnvironment
{
    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public bool SupportsResume => true;

    /// <inheritdoc />
    /// <exception cref="Playbooks.PlaybookException">The task's playbook is invalid; nothing was touched.</exception>
    /// <exception cref="RegistryException">Resuming: the task's journal is corrupt.</exception>
    /// <exception cref="TaskConflictException">Resuming: the killed run's runner still runs; nothing was touched.</exception>
    public async Task<RunnerResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Events is not { } sink)
        {
            return request.Resume
                ? await orchestrator.ResumeAsync(request.Task, cancellationToken).ConfigureAwait(false)
                : await orchestrator.RunAsync(request.Task, cancellationToken).ConfigureAwait(false);
        }

        var run = request.Resume
            ? await orchestrator.StartResumeAsync(request.Task, cancellationToken).ConfigureAwait(false)
            : await orchestrator.StartAsync(request.Task, cancellationToken).ConfigureAwait(false);
        await foreach (var runEvent in run.Events.ConfigureAwait(false))
        {
            sink.Publish(runEvent);
        }

        return await run.Completion.ConfigureAwait(false);
    }
}
