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
    /// <exception cref="NotSupportedException">The request names a runner id, and the runner is not this package's.</exception>
    public async Task<RunnerResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RunnerId is not null)
        {
            return await RunUnderAsync(request, cancellationToken).ConfigureAwait(false);
        }

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

    /// <summary>A run under the caller's runner id, which only this package's runner can start.</summary>
    private async Task<RunnerResult> RunUnderAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        if (orchestrator is not Orchestration.RunnerOrchestrator runner)
        {
            throw new NotSupportedException($"The runner {orchestrator.GetType().Name} cannot run a task under a runner id its caller chose; only the runner of AddAgentRunner() can.");
        }

        var run = await runner.StartAsync(request, live: request.Events is not null, cancellationToken).ConfigureAwait(false);
        if (request.Events is { } sink)
        {
            await foreach (var runEvent in run.Events.ConfigureAwait(false))
            {
                sink.Publish(runEvent);
            }
        }

        return await run.Completion.ConfigureAwait(false);
    }
}
