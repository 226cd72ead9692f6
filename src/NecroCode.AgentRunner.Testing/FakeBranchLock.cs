namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// An in-process <see cref="IBranchLock"/>: one holder per branch; a runner that finds the branch held waits up to its
/// wait for the holder to let go, then gets a <see cref="TaskConflictException"/> naming the holder.
/// </summary>
public sealed class FakeBranchLock : IBranchLock
{
    private readonly Dictionary<string, string> _held = new(StringComparer.Ordinal);
    private TaskCompletionSource _released = NewSignal();

    /// <summary>The branches held now, with their holders.</summary>
    public IReadOnlyDictionary<string, string> Held
    {
        get
        {
            lock (_held)
            {
                return new Dictionary<string, string>(_held);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireBranchAsync(string branch, string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"The wait for branch '{branch}' must not be negative (got {wait}).", nameof(wait));
        }

        using var patience = new CancellationTokenSource(wait);
        while (true)
        {
            Task released;
            string? holder;
            lock (_held)
            {
                if (!_held.TryGetValue(branch, out holder))
                {
                    _held[branch] = runnerId;
                    return new Release(this, branch);
                }

                released = _released.Task;
            }

            if (wait == TimeSpan.Zero)
            {
                throw Conflict(branch, runnerId, holder, wait);
            }

            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, patience.Token);
                await released.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Conflict(branch, runnerId, holder, wait);
            }
        }
    }

    private static TaskConflictException Conflict(string branch, string runnerId, string holder, TimeSpan wait) =>
        new($"Branch '{branch}' is being pushed by runner {holder}; runner {runnerId} waited {wait.TotalSeconds:0.###} s for it.", holder);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Release(FakeBranchLock owner, string branch) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (owner._held)
                {
                    owner._held.Remove(branch);
                    Interlocked.Exchange(ref owner._released, NewSignal()).TrySetResult();
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
