using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Keeps a run's claim of its task alive: renews the lease at a third of the time it has left, so that a renewal or
/// two may fail (a registry restarting) before it runs out. When the registry says the claim is lost, or the lease ran
/// out before a renewal got through, the run loses its claim (<see cref="RunContext.LoseClaim"/>) and stops.
/// </summary>
internal sealed partial class ClaimHeartbeat : IAsyncDisposable
{
    /// <summary>The shortest pause between two renewals.</summary>
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(50);

    private readonly ITaskRegistry _registry;
    private readonly RunContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private DateTimeOffset _expiresAt;

    private ClaimHeartbeat(ITaskRegistry registry, RunContext context, DateTimeOffset expiresAt, TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _context = context;
        _expiresAt = expiresAt;
        _time = time;
        _logger = logger;
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

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

    private async Task LoopAsync()
    {
        var key = _context.Key.ToString();
        while (!_stop.IsCancellationRequested)
        {
            var pause = (_expiresAt - _time.GetUtcNow()) / 3;
            try
            {
                await Task.Delay(pause > MinimumPause ? pause : MinimumPause, _time, _stop.Token).ConfigureAwait(false);
                var renewed = await _registry.RenewClaimAsync(_context.Key, _context.RunnerId, _stop.Token).ConfigureAwait(false);
                if (!renewed.Claimed)
                {
                    Lose(renewed.HeldBy is { } holder
                        ? $"Runner {_context.RunnerId} lost its claim of task {key}: runner {holder} holds the task now; this run stopped and wrote nothing more."
                        : $"Runner {_context.RunnerId} lost its claim of task {key}: the claim lapsed before it was renewed; this run stopped and wrote nothing more.");
                    return;
                }

                if (renewed.ExpiresAt is not { } next)
                {
                    return;
                }

                _expiresAt = next;
                Log.Renewed(_logger, key, _context.RunnerId, next);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A registry that does not answer is retried until the lease runs out.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.RenewalFailed(_logger, ex, key, _context.RunnerId, _expiresAt);
                if (_time.GetUtcNow() >= _expiresAt)
                {
                    Lose($"Runner {_context.RunnerId} lost its claim of task {key}: the claim could not be renewed before it expired at {_expiresAt:O} ({ex.Message}); this run stopped and wrote nothing more.");
                    return;
                }
            }
        }
    }

    private void Lose(string reason)
    {
        Log.Lost(_logger, _context.Key.ToString(), _context.RunnerId, reason);
        _context.LoseClaim(reason);
    }
}
