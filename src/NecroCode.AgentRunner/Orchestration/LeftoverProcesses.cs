using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>Stops the processes an earlier, killed run of a task left running (they run in sessions of their own).</summary>
internal sealed class LeftoverProcesses(TimeProvider time)
{
    /// <summary>Stops every process that carries <paramref name="traceId"/> and says so in the run's events.</summary>
    /// <param name="context">The run.</param>
    /// <param name="step">The step that stops them.</param>
    /// <param name="traceId">The earlier run's trace id.</param>
    /// <param name="cancellationToken">Cancels waiting for them to end.</param>
    /// <returns>A task that completes when they are gone.</returns>
    public async Task StopAsync(RunContext context, string step, string traceId, CancellationToken cancellationToken)
    {
        var stopped = await RunTrace.StopAsync(traceId, RunTrace.StopGrace, time, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            context.Events.Publish(new RunWarning(step, $"Stopped {stopped.Count} process(es) the earlier run of {context.Key} left running (pids {string.Join(", ", stopped)})."));
        }
    }
}
