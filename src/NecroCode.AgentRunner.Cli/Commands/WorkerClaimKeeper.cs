namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// Keeps a worker's claim of a task alive for as long as the task's run lasts, wherever it executes: a local run
/// renews its claim itself, but a run in a container does not, and without this its lease would lapse mid-run and
/// another worker would take the task over. Renews at a third of the lease's remaining time; when the registry says
/// the claim is lost (or the lease ran out before a renewal got through) it stops the run.
/// </summary>
internal static class WorkerClaimKeeper
{
    /// <summary>The shortest pause between two renewals.</summary>
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Renews <paramref name="claim"/> until <paramref name="runEnded"/> is cancelled; returns at once for a claim without expiry.</summary>
    /// <param name="registry">The registry holding the claim.</param>
    /// <param name="task">The task.</param>
    /// <param name="runnerId">The runner that holds it.</param>
    /// <param name="claim">The claim the worker got.</param>
    /// <param name="loseClaim">Stops the run; called with the reason when the claim is lost.</param>
    /// <param name="time">The clock.</param>
    /// <param name="runEnded">Cancelled when the run has ended.</param>
    /// <returns>A task that completes when the run has ended or the claim was lost.</returns>
    public static async Task KeepAsync(ITaskRegistry registry, TaskKey task, string runnerId, TaskClaim? claim, Action<string> loseClaim, TimeProvider time, CancellationToken runEnded)
    {
        var expiresAt = claim?.ExpiresAt;
        while (expiresAt is { } until && !runEnded.IsCancellationRequested)
        {
            var pause = (until - time.GetUtcNow()) / 3;
            try
            {
                await Task.Delay(pause > MinimumPause ? pause : MinimumPause, time, runEnded).ConfigureAwait(false);
                var renewed = await registry.RenewClaimAsync(task, runnerId, runEnded).ConfigureAwait(false);
                if (!renewed.Claimed)
                {
                    if (await EndedByTheRunAsync(registry, task, runnerId, runEnded).ConfigureAwait(false))
                    {
                        return;
                    }

                    loseClaim(renewed.HeldBy is { } holder ? $"runner {holder} holds the task now" : "the claim lapsed before it was renewed");
                    return;
                }

                expiresAt = renewed.ExpiresAt;
            }
            catch (OperationCanceledException) when (runEnded.IsCancellationRequested)
            {
                return;
            }
            catch (RegistryException) when (time.GetUtcNow() < until)
            {
                // The registry did not answer (restarting): try again while the lease lasts.
            }
            catch (RegistryException ex)
            {
                loseClaim($"the claim could not be renewed before it expired ({ex.Message})");
                return;
            }
        }
    }

    /// <summary>Whether the run itself ended the claim: it recorded the task's outcome (or handed it back) under its own id.</summary>
    private static async Task<bool> EndedByTheRunAsync(ITaskRegistry registry, TaskKey task, string runnerId, CancellationToken runEnded)
    {
        var record = await registry.GetTaskAsync(task, runEnded).ConfigureAwait(false);
        return record is { State: not TaskState.Running } && string.Equals(record.RunnerId, runnerId, StringComparison.Ordinal);
    }
}
