namespace NecroCode.AgentRunner.PostgreSql.Connection;

/// <summary>A loop that runs in the background from its first start until it is disposed (which cancels and awaits it).</summary>
/// <param name="body">The loop; it ends when its token is cancelled.</param>
internal sealed class BackgroundLoop(Func<CancellationToken, Task> body) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _loop;

    /// <summary>Starts the loop unless it runs already.</summary>
    public void EnsureStarted()
    {
        if (Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        lock (_gate)
        {
            _loop ??= Task.Run(() => body(_stop.Token));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _loop) is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        _stop.Dispose();
    }
}
