using System.Collections.Concurrent;

namespace NecroCode.AgentRunner.Testing;

/// <summary>An in-memory <see cref="ITaskRegistry"/> for unit tests; thread-safe.</summary>
public sealed class FakeTaskRegistry : ITaskRegistry
{
    private readonly ConcurrentDictionary<TaskKey, TaskRecord> _tasks = new();
    private readonly ConcurrentDictionary<TaskKey, List<TaskEvent>> _events = new();
    private readonly ConcurrentDictionary<string, RunnerRegistration> _runners = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="time">The clock for <see cref="TaskRecord.UpdatedAt"/>; the system clock when null.</param>
    public FakeTaskRegistry(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Every runner registered so far, also those unregistered since.</summary>
    public IReadOnlyList<RunnerRegistration> RegisteredEver => [.. _everRegistered];

    private readonly ConcurrentQueue<RunnerRegistration> _everRegistered = new();

    /// <inheritdoc />
    public Task RegisterRunnerAsync(RunnerRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        _runners[registration.RunnerId] = registration;
        _everRegistered.Enqueue(registration);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnregisterRunnerAsync(string runnerId, CancellationToken cancellationToken)
    {
        _runners.TryRemove(runnerId, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TaskClaim> TryClaimTaskAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        lock (_claimGate)
        {
            if (_tasks.TryGetValue(task, out var record) && record.State == TaskState.Running && record.RunnerId != runnerId && record.RunnerId is not null && _runners.ContainsKey(record.RunnerId))
            {
                return Task.FromResult(new TaskClaim(false, record.RunnerId));
            }

            _tasks[task] = record is null
                ? new TaskRecord(task, TaskState.Running, runnerId, _time.GetUtcNow(), [])
                : record with { State = TaskState.Running, RunnerId = runnerId, UpdatedAt = _time.GetUtcNow() };
            return Task.FromResult(new TaskClaim(true));
        }
    }

    /// <inheritdoc />
    public Task<TaskClaim> RenewClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        lock (_claimGate)
        {
            return Task.FromResult(_tasks.TryGetValue(task, out var record) && record.State == TaskState.Running && record.RunnerId == runnerId
                ? new TaskClaim(true)
                : new TaskClaim(false, record is { State: TaskState.Running } ? record.RunnerId : null));
        }
    }

    private readonly Lock _claimGate = new();

    private readonly ConcurrentDictionary<string, BranchClaim> _branches = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public Task<BranchClaim> TryClaimBranchAsync(string branch, TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        return Task.FromResult(_branches.GetOrAdd(branch, name => new BranchClaim(name, task, runnerId, _time.GetUtcNow())));
    }

    /// <inheritdoc />
    public Task<BranchClaim?> GetBranchClaimAsync(string branch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        return Task.FromResult(_branches.TryGetValue(branch, out var claim) ? claim : null);
    }

    /// <inheritdoc />
    public Task SetTaskStateAsync(TaskKey task, TaskState state, string runnerId, CancellationToken cancellationToken)
    {
        _tasks.AddOrUpdate(
            task,
            _ => new TaskRecord(task, state, runnerId, _time.GetUtcNow(), []),
            (_, old) => old with { State = state, RunnerId = runnerId, UpdatedAt = _time.GetUtcNow() });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AppendEventAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        var list = _events.GetOrAdd(taskEvent.Task, _ => []);
        lock (list)
        {
            list.Add(taskEvent);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AddArtifactAsync(TaskKey task, ArtifactRecord artifact, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        _tasks.AddOrUpdate(
            task,
            _ => new TaskRecord(task, TaskState.Pending, null, _time.GetUtcNow(), [artifact]),
            (_, old) => old with { Artifacts = [.. old.Artifacts.Where(a => a.Name != artifact.Name), artifact], UpdatedAt = _time.GetUtcNow() });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TaskRecord?> GetTaskAsync(TaskKey task, CancellationToken cancellationToken) =>
        Task.FromResult(_tasks.TryGetValue(task, out var record) ? record : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskEvent>> GetEventsAsync(TaskKey task, CancellationToken cancellationToken)
    {
        if (!_events.TryGetValue(task, out var list))
        {
            return Task.FromResult<IReadOnlyList<TaskEvent>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<TaskEvent>>([.. list]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunnerRegistration>> GetRunnersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunnerRegistration>>([.. _runners.Values]);
}
