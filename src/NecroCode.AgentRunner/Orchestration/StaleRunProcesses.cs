using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Stops what the earlier holder of a slot left running when the pool handed the slot over from a holder known to be
/// gone (<see cref="SlotLease.StaleProcessTrackingId"/>): the crashed run's agent and test processes run in sessions
/// of their own and outlive it. The pool only reports the stale lease, so this holds for any <see cref="ISlotPool"/>.
/// </summary>
internal static partial class StaleRunProcesses
{
    /// <summary>
    /// Stops every process on this host that carries the stale holder's tracking id (SIGTERM, a short grace,
    /// SIGKILL); nothing when the lease reports none.
    /// </summary>
    /// <param name="lease">The lease just acquired.</param>
    /// <param name="time">The clock of the grace period.</param>
    /// <param name="logger">Where the stop is logged.</param>
    /// <param name="cancellationToken">Cuts the grace short (the processes are then killed at once).</param>
    /// <returns>The ids of the processes stopped.</returns>
    public static async Task<IReadOnlyList<int>> StopAsync(SlotLease lease, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (string.IsNullOrEmpty(lease.StaleProcessTrackingId))
        {
            return [];
        }

        var stopped = await RunTrace.StopAsync(lease.StaleProcessTrackingId, RunTrace.StopGrace, time, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            Log.StaleProcessesStopped(logger, lease.SlotId, stopped.Count);
        }

        return stopped;
    }
}
