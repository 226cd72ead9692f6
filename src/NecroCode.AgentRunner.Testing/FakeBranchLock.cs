namespace NecroCode.AgentRunner.Testing;

/// <summary>An in-process <see cref="IBranchLock"/>: one holder per branch, conflicts reported at once.</summary>
public sealed class FakeBranchLock : IBranchLock
{
    private readonly Dictionary<string, string> _held = new(StringComparer.Ordinal);

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
    public Task<IAsyncDisposable> AcquireBranchAsync(string branch, string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        lock (_held)
        {
            if (_held.TryGetValue(branch, out var holder))
            {
                throw new TaskConflictException($"Branch '{branch}' is being pushed by runner {holder}.", holder);
            }

            _held[branch] = runnerId;
        }

        return Task.FromResult<IAsyncDisposable>(new Release(this, branch));
    }

    private sealed class Release(FakeBranchLock owner, string branch) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (owner._held)
            {
                owner._held.Remove(branch);
            }

            return ValueTask.CompletedTask;
        }
    }
}
