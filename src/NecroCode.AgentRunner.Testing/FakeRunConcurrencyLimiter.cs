namespace NecroCode.AgentRunner.Testing;

/// <summary>An in-process <see cref="IRunConcurrencyLimiter"/> with a fixed number of permits; counts the peak.</summary>
/// <param name="permits">How many runs may hold a permit at once.</param>
public sealed class FakeRunConcurrencyLimiter(int permits = int.MaxValue) : IRunConcurrencyLimiter, IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(permits, permits);
    private int _current;
    private int _peak;

    /// <summary>The most permits held at once so far.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <inheritdoc />
    public void Dispose() => _semaphore.Dispose();

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        var now = Interlocked.Increment(ref _current);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        return new Permit(this);
    }

    private sealed class Permit(FakeRunConcurrencyLimiter owner) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref owner._current);
                owner._semaphore.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
