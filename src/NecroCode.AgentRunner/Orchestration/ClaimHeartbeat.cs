using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Keeps a run's claim of its task alive (<see cref="ClaimRenewal"/>). When the registry says the claim is lost, or the
/// lease ran out before a renewal got through, the run loses its claim (<see cref="RunContext.LoseClaim"/>) and stops.
/// </summary>
internal sealed class ClaimHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ClaimHeartbeat(ITaskRegistry registry, RunContext context, DateTimeOffset expiresAt, TimeProvider time, ILogger logger) =>
        _loop = Task.Run(() => KeepAsync(registry, context, expiresAt, time, logger, _stop.Token), CancellationToken.None);

    /// <summary>Starts renewing <paramref name="claim"/>; null when it needs no renewal (it lasts while its holder lives).</summary>
    /// <param name="registry">The registry holding the claim.</param>
    /// <param name="context">The run that holds it.</param>
    /// <param name="claim">The claim the run got.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <returns>The heartbeat; dispose it when the run no longer needs the claim.</returns>
    public static ClaimHeartbeat? Start(ITaskRegistry registry, RunContext context, TaskClaim claim, TimeProvider time, ILogger logger) =>
        claim.ExpiresAt is { } expiresAt ? new ClaimHeartbeat(registry, context, expiresAt, time, logger) : null;

    /// <summary>Stops renewing.</summary>
    /// <returns>A task that completes when the last renewal has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task KeepAsync(ITaskRegistry registry, RunContext context, DateTimeOffset expiresAt, TimeProvider time, ILogger logger, CancellationToken stop)
    {
        if (await ClaimRenewal.KeepAsync(registry, context.Key, context.RunnerId, expiresAt, time, logger, stop).ConfigureAwait(false) is { } reason)
        {
            context.LoseClaim($"Runner {context.RunnerId} lost its claim of task {context.Key}: {reason}; this run stopped and wrote nothing more.");
        }
    }
}
