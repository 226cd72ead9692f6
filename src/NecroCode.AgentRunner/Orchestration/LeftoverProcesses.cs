using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Stops the processes an earlier run left running: its agent and test processes run in sessions of their own and
/// outlive a run that was killed. Two steps find such a run: register (the killed run being resumed, or a dead
/// runner's journal) and acquire-slot (the dead holder of the slot the pool hands over).
/// </summary>
internal sealed partial class LeftoverProcesses(TimeProvider time, ILogger<LeftoverProcesses> logger)
{
    /// <summary>Stops every process that carries <paramref name="traceId"/> and says so in the run's events.</summary>
    /// <param name="context">The run.</param>
    /// <param name="step">The step that stops them.</param>
    /// <param name="traceId">The earlier run's trace id.</param>
    /// <param name="cancellationToken">Cancels waiting for them to end.</param>
    /// <returns>A task that completes when they are gone.</returns>
    public async Task StopAsync(RunContext context, string step, string traceId, CancellationToken cancellationToken)
    {
        var stopped = await StopTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            context.Events.Publish(new RunWarning(step, $"Stopped {stopped.Count} process(es) the earlier run of {context.Key} left running (pids {string.Join(", ", stopped)})."));
        }
    }

    /// <summary>
    /// Stops what the earlier holder of a slot left running when the pool handed the slot over from a holder known to
    /// be gone (<see cref="SlotLease.StaleProcessTrackingId"/>). The pool only reports the stale lease, so this holds
    /// for any <see cref="ISlotPool"/>.
    /// </summary>
    /// <param name="lease">The lease just acquired.</param>
    /// <param name="cancellationToken">Cuts the grace short (the processes are then killed at once).</param>
    /// <returns>The ids of the processes stopped; none when the lease reports no stale holder.</returns>
    public async Task<IReadOnlyList<int>> StopStaleHolderAsync(SlotLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (string.IsNullOrEmpty(lease.StaleProcessTrackingId))
        {
            return [];
        }

        var stopped = await StopTraceAsync(lease.StaleProcessTrackingId, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            Log.StaleProcessesStopped(logger, lease.SlotId, stopped.Count);
        }

        return stopped;
    }

    /// <summary>SIGTERM, a short grace, SIGKILL, for every process on this host that carries <paramref name="traceId"/>.</summary>
    private Task<IReadOnlyList<int>> StopTraceAsync(string traceId, CancellationToken cancellationToken) =>
        RunTrace.StopAsync(traceId, RunTrace.StopGrace, time, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(6106, LogLevel.Warning, "Slot {SlotId}: stopped {Count} process(es) its dead holder's run left running")]
        public static partial void StaleProcessesStopped(ILogger logger, string slotId, int count);
    }
}
