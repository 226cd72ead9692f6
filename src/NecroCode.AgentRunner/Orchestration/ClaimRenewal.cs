using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Renews a leased claim for as long as its holder needs it, wherever the run executes (a local run's
/// <see cref="ClaimHeartbeat"/>; a worker keeping the claim of a run in a container). Renews at a third of the lease's
/// remaining time, so that a renewal or two may fail (a registry restarting) before it runs out. Says why the claim was
/// lost, or nothing when it was stopped, the lease no longer expires, or the run itself ended the claim.
/// </summary>
internal static partial class ClaimRenewal
{
    /// <summary>The shortest pause between two renewals.</summary>
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Renews the claim of <paramref name="task"/> held by <paramref name="runnerId"/> until <paramref name="stop"/> is cancelled.</summary>
    /// <param name="registry">The registry holding the claim.</param>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner that holds it.</param>
    /// <param name="expiresAt">When the claim expires now.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="stop">Cancelled when the holder no longer needs the claim.</param>
    /// <returns>Why the claim was lost (e.g. <c>runner b holds the task now</c>); null when renewing ended otherwise.</returns>
    public static async Task<string?> KeepAsync(ITaskRegistry registry, TaskKey task, string runnerId, DateTimeOffset expiresAt, TimeProvider time, ILogger logger, CancellationToken stop)
    {
        var key = task.ToString();
        while (!stop.IsCancellationRequested)
        {
            var pause = (expiresAt - time.GetUtcNow()) / 3;
            try
            {
                await Task.Delay(pause > MinimumPause ? pause : MinimumPause, time, stop).ConfigureAwait(false);
                var renewed = await registry.RenewClaimAsync(task, runnerId, stop).ConfigureAwait(false);
                if (!renewed.Claimed)
                {
                    if (await EndedByTheRunAsync(registry, task, runnerId, stop).ConfigureAwait(false))
                    {
                        return null;
                    }

                    return Lost(logger, key, runnerId, renewed.HeldBy is { } holder ? $"runner {holder} holds the task now" : "the claim lapsed before it was renewed");
                }

                if (renewed.ExpiresAt is not { } next)
                {
                    return null;
                }

                expiresAt = next;
                Log.Renewed(logger, key, runnerId, next);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return null;
            }
#pragma warning disable CA1031 // A registry that does not answer is retried until the lease runs out.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.RenewalFailed(logger, ex, key, runnerId, expiresAt);
                if (time.GetUtcNow() >= expiresAt)
                {
                    return Lost(logger, key, runnerId, $"the claim could not be renewed before it expired at {expiresAt:O} ({ex.Message})");
                }
            }
        }

        return null;
    }

    /// <summary>Whether the run itself ended the claim: it recorded the task's outcome (or handed it back) under its own id.</summary>
    private static async Task<bool> EndedByTheRunAsync(ITaskRegistry registry, TaskKey task, string runnerId, CancellationToken stop)
    {
        var record = await registry.GetTaskAsync(task, stop).ConfigureAwait(false);
        return record is { State: not TaskState.Running } && string.Equals(record.RunnerId, runnerId, StringComparison.Ordinal);
    }

    private static string Lost(ILogger logger, string task, string runnerId, string reason)
    {
        Log.Lost(logger, task, runnerId, reason);
        return reason;
    }
}
