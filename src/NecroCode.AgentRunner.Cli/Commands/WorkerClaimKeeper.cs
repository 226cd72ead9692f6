using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Orchestration;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// Keeps a worker's claim of a task alive for as long as the task's run lasts, wherever it executes: a local run
/// renews its claim itself, but a run in a container does not, and without this its lease would lapse mid-run and
/// another worker would take the task over (<see cref="ClaimRenewal"/>). When the claim is lost it stops the run.
/// </summary>
internal static class WorkerClaimKeeper
{
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
        if (claim?.ExpiresAt is { } expiresAt
            && await ClaimRenewal.KeepAsync(registry, task, runnerId, expiresAt, time, NullLogger.Instance, runEnded).ConfigureAwait(false) is { } reason)
        {
            loseClaim(reason);
        }
    }
}
