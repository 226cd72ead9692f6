namespace NecroCode.AgentRunner;

/// <summary>
/// Bounds how many runs execute at once — on a host, across processes, for the default
/// implementation. A run waits for a permit before it touches its task.
/// </summary>
public interface IRunConcurrencyLimiter
{
    /// <summary>Waits for a permit to run.</summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is held then.</param>
    /// <returns>The permit; dispose it when the run has ended.</returns>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken);
}
