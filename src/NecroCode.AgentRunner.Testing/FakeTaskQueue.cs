using System.Diagnostics.CodeAnalysis;

namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// An in-memory <see cref="ITaskQueue"/> over a <see cref="FakeTaskRegistry"/> (its claims are the registry's);
/// thread-safe. A claim registers the claiming runner (this host, this process) for the task it got.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue of tasks, and named so.")]
public sealed class FakeTaskQueue : ITaskQueue
{
    private readonly FakeTaskRegistry _registry;
    private readonly Dictionary<TaskKey, Queued> _queued = [];
    private long _sequence;

    /// <summary>Creates an empty queue over <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry whose states and claims the queue uses.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public FakeTaskQueue(FakeTaskRegistry registry) => _registry = registry ?? throw new ArgumentNullException(nameof(registry));

    /// <inheritdoc />
    /// <exception cref="TaskValidationException">The task is invalid.</exception>
    public Task<QueueEntry> EnqueueAsync(TaskContext task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        TaskContextValidator.ThrowIfInvalid(task);
        var key = TaskKey.Of(task);
        var entry = _registry.Locked(() =>
        {
            if (_registry.LiveHolder(key) is { } holder)
            {
                throw new TaskConflictException($"Task {key} is being run by runner {holder}; it was not enqueued again.", holder);
            }

            var now = _registry.Time.GetUtcNow();
            var record = _registry.RecordOf(key) is { } old ? old with { State = TaskState.Pending, UpdatedAt = now } : new TaskRecord(key, TaskState.Pending, null, now, []);
            _registry.Put(record);
            var claims = _queued.TryGetValue(key, out var earlier) ? earlier.Claims : 0;
            _queued[key] = new Queued(task, now, ++_sequence, claims);
            _registry.Signal();
            return EntryOf(key, _queued[key]);
        });
        return Task.FromResult(entry);
    }

    /// <inheritdoc />
    public Task<QueuedTask?> ClaimNextAsync(string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        var claimed = _registry.Locked(() =>
        {
            foreach (var (key, queued) in _queued.OrderBy(q => q.Value.Sequence))
            {
                var state = _registry.RecordOf(key)?.State ?? TaskState.Pending;
                if (state is TaskState.Done or TaskState.Failed || !_registry.IsFree(key))
                {
                    continue;
                }

                var claim = _registry.ClaimHeld(key, runnerId);
                var now = _registry.Time.GetUtcNow();
                _ = _registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, key, Environment.MachineName, Environment.ProcessId, now), CancellationToken.None);
                var updated = queued with { Claims = queued.Claims + 1 };
                _queued[key] = updated;
                return new QueuedTask(EntryOf(key, updated), updated.Definition, claim);
            }

            return null;
        });
        return Task.FromResult(claimed);
    }

    /// <inheritdoc />
    public Task ReturnAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        _registry.Locked(() =>
        {
            _registry.Return(task, runnerId);
            return true;
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var changed = _registry.Locked(() => _registry.Changed);
        try
        {
            await changed.WaitAsync(timeout, _registry.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The timeout is the fallback wake-up.
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueEntry>> ListAsync(TaskState? state, CancellationToken cancellationToken) =>
        Task.FromResult(_registry.Locked<IReadOnlyList<QueueEntry>>(() =>
            [.. _queued.OrderBy(q => q.Value.Sequence).Select(q => EntryOf(q.Key, q.Value)).Where(e => state is null || e.State == state)]));

    /// <inheritdoc />
    public Task<QueuedTask?> GetAsync(TaskKey task, CancellationToken cancellationToken) =>
        Task.FromResult(_registry.Locked(() => _queued.TryGetValue(task, out var queued) ? new QueuedTask(EntryOf(task, queued), queued.Definition) : null));

    private QueueEntry EntryOf(TaskKey key, Queued queued)
    {
        var record = _registry.RecordOf(key);
        return new QueueEntry(key, record?.State ?? TaskState.Pending, queued.EnqueuedAt, record?.UpdatedAt ?? queued.EnqueuedAt, record?.RunnerId, queued.Claims);
    }

    private sealed record Queued(TaskContext Definition, DateTimeOffset EnqueuedAt, long Sequence, int Claims);
}
