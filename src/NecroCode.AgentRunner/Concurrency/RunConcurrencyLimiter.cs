using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Concurrency;

/// <summary>
/// A counting semaphore across processes: at most <see cref="ConcurrencyOptions.MaxParallelRuns"/> runs at
/// once on this host. The N permits are N lock files (<c>0.lock</c> … <c>N-1.lock</c>) in the lock
/// folder, each held with an exclusive <c>flock</c>; a waiting run polls them with a growing back-off. A
/// holder that crashes frees its permit at once (the kernel drops its lock). Waiting is not first come,
/// first served. The wait is recorded in <c>agentrunner.queue.wait</c>, the held permits in
/// <c>agentrunner.runs.concurrent</c>.
/// </summary>
internal sealed partial class RunConcurrencyLimiter : IRunConcurrencyLimiter
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(100);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RunConcurrencyLimiter> _logger;

    /// <summary>Creates the limiter.</summary>
    /// <param name="options">The limit and the lock folder.</param>
    /// <param name="fileSystemOptions">Where the default lock folder is (<c>run-slots</c> under the root).</param>
    /// <param name="timeProvider">The clock (waits and their measurement).</param>
    /// <param name="logger">The logger.</param>
    public RunConcurrencyLimiter(IOptions<ConcurrencyOptions> options, IOptions<FileSystemOptions> fileSystemOptions, TimeProvider timeProvider, ILogger<RunConcurrencyLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fileSystemOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        MaxParallelRuns = options.Value.MaxParallelRuns;
        if (MaxParallelRuns < 1)
        {
            throw new ArgumentException($"MaxParallelRuns must be at least 1 (got {MaxParallelRuns}).", nameof(options));
        }

        LockFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Value.LockFolder ?? Path.Combine(fileSystemOptions.Value.RootPath, "run-slots")));
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Most runs at once on this host.</summary>
    public int MaxParallelRuns { get; }

    /// <summary>The folder of the lock files (absolute).</summary>
    public string LockFolder { get; }

    /// <summary>Waits until fewer than <see cref="MaxParallelRuns"/> runs hold a permit on this host, and takes one.</summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is held afterwards.</param>
    /// <returns>The permit; dispose it when the run ends.</returns>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    /// <exception cref="IOException">A lock file could not be opened (the message names it).</exception>
    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        var backoff = FirstBackoff;
        var first = Random.Shared.Next(MaxParallelRuns);
        var waiting = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < MaxParallelRuns; i++)
            {
                var index = (first + i) % MaxParallelRuns;
                if (FileLock.TryAcquire(SlotPath(index), FileLockMode.Exclusive, _timeProvider) is { } held)
                {
                    var waited = _timeProvider.GetElapsedTime(start);
                    ConcurrencyTelemetry.QueueWait.Record(waited.TotalSeconds);
                    ConcurrencyTelemetry.ConcurrentRuns.Add(1);
                    Log.PermitTaken(_logger, index, MaxParallelRuns, waited.TotalMilliseconds);
                    return new Permit(this, held, index);
                }
            }

            if (!waiting)
            {
                waiting = true;
                Log.Waiting(_logger, MaxParallelRuns, LockFolder);
            }

            var delay = backoff + TimeSpan.FromTicks(Random.Shared.NextInt64(backoff.Ticks + 1));
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    private string SlotPath(int index) => Path.Combine(LockFolder, index.ToString(CultureInfo.InvariantCulture) + ".lock");

    /// <summary>A held permit: run slot <see cref="Index"/>.</summary>
    private sealed class Permit(RunConcurrencyLimiter owner, FileLock fileLock, int index) : IAsyncDisposable
    {
        private int _disposed;

        public int Index => index;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                fileLock.Dispose();
                ConcurrencyTelemetry.ConcurrentRuns.Add(-1);
                Log.PermitReleased(owner._logger, index);
            }

            return ValueTask.CompletedTask;
        }
    }
}
