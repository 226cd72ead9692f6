namespace NecroCode.AgentRunner.Execution;

/// <summary>Runs a task in this process (R9.2) and forwards its events.</summary>
/// <param name="orchestrator">The runner.</param>
public sealed class LocalExecutionEnvironment(IAgentRunner orchestrator) : IExecutionEnvironment
{
    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public async Task<RunnerResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = await orchestrator.StartAsync(request.Task, cancellationToken).ConfigureAwait(false);
        await foreach (var runEvent in run.Events.ConfigureAwait(false))
        {
            request.Events.Publish(runEvent);
        }

        return await run.Completion.ConfigureAwait(false);
    }
}
