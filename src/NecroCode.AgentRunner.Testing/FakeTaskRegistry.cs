namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// An in-memory <see cref="ITaskRegistry"/> for unit tests; thread-safe. Claims are leases as the contract describes:
/// each claim has a fencing number; a holder's writes are refused with <see cref="ClaimLostException"/> once its claim
/// lapsed (<see cref="ExpireClaim"/>, or <see cref="LeaseDuration"/> passed without a renewal) or the task was taken
/// over; a task whose holder lapsed or unregistered may be taken over.
/// </summary>
public sealed partial class FakeTaskRegistry : ITaskRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TaskKey, TaskRecord> _tasks = [];
    private readonly Dictionary<TaskKey, FakeClaim> _claims = [];
    private readonly Dictionary<TaskKey, long> _fences = [];
    private readonly Dictionary<TaskKey, List<TaskEvent>> _events = [];
    private readonly Dictionary<string, RunnerRegistration> _runners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BranchClaim> _branches = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RunnerRegistration> _everRegistered = [];
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Creates an empty registry.</summary>
    /// <param name="time">The clock for <see cref="TaskRecord.UpdatedAt"/> and the leases; the system clock when null.</param>
    public FakeTaskRegistry(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>
    /// How long a claim lasts unless renewed; null (the default) for claims that last while their holder is
    /// registered, as on one machine (<see cref="TaskClaim.ExpiresAt"/> is then null).
    /// </summary>
    public TimeSpan? LeaseDuration { get; set; }

    /// <summary>Every runner registered so far, also those unregistered since.</summary>
    public IReadOnlyList<RunnerRegistration> RegisteredEver
    {
        get
        {
            lock (_gate)
            {
                return [.. _everRegistered];
            }
        }
    }

    /// <summary>The clock of the registry.</summary>
    internal TimeProvider Time => _time;

    /// <summary>The claim that holds the task now (its holder, fencing number and expiry), lapsed or not; null when nobody holds it.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The claim, with <see cref="TaskClaim.HeldBy"/> naming its holder.</returns>
    public TaskClaim? CurrentClaim(TaskKey task)
    {
        lock (_gate)
        {
            return HolderOf(task) is { } claim ? new TaskClaim(true, claim.Holder, claim.Fence, claim.ExpiresAt) : null;
        }
    }

    /// <summary>Makes the task's claim lapse now, as if its holder had stopped renewing it; unclaimed tasks are ignored.</summary>
    /// <param name="task">The task.</param>
    public void ExpireClaim(TaskKey task)
    {
        lock (_gate)
        {
            if (_claims.TryGetValue(task, out var claim))
            {
                _claims[task] = claim with { ExpiresAt = _time.GetUtcNow(), Expired = true };
                Signal();
            }
        }
    }

    /// <inheritdoc />
    public Task RegisterRunnerAsync(RunnerRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (_gate)
        {
            _runners[registration.RunnerId] = registration;
            _everRegistered.Add(registration);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnregisterRunnerAsync(string runnerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _runners.Remove(runnerId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TaskClaim> TryClaimTaskAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        lock (_gate)
        {
            return Task.FromResult(ClaimHeld(task, runnerId));
        }
    }

    /// <inheritdoc />
    public Task<TaskClaim> RenewClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (HolderOf(task) is not { } claim || claim.Holder != runnerId)
            {
                return Task.FromResult(new TaskClaim(false, HolderOf(task)?.Holder));
            }

            if (claim.HasLapsed(_time.GetUtcNow()))
            {
                return Task.FromResult(new TaskClaim(false));
            }

            var renewed = claim with { ExpiresAt = ExpiryFromNow() };
            _claims[task] = renewed;
            return Task.FromResult(new TaskClaim(true, null, renewed.Fence, renewed.ExpiresAt));
        }
    }

    /// <inheritdoc />
    public Task<BranchClaim> TryClaimBranchAsync(string branch, TaskKey task, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        lock (_gate)
        {
            if (!_branches.TryGetValue(branch, out var claim))
            {
                claim = new BranchClaim(branch, task, runnerId, _time.GetUtcNow());
                _branches[branch] = claim;
            }

            return Task.FromResult(claim);
        }
    }

    /// <inheritdoc />
    public Task<BranchClaim?> GetBranchClaimAsync(string branch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        lock (_gate)
        {
            return Task.FromResult(_branches.TryGetValue(branch, out var claim) ? claim : null);
        }
    }

    /// <inheritdoc />
    public Task SetTaskStateAsync(TaskKey task, TaskState state, string runnerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            EnsureMayWrite(task, runnerId, $"set the state of task {task} to {state}");
            var now = _time.GetUtcNow();
            _tasks[task] = _tasks.TryGetValue(task, out var old)
                ? old with { State = state, RunnerId = runnerId, UpdatedAt = now }
                : new TaskRecord(task, state, runnerId, now, []);
            if (state != TaskState.Running && _claims.Remove(task))
            {
                Signal();
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AppendEventAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        lock (_gate)
        {
            EnsureMayWrite(taskEvent.Task, taskEvent.RunnerId, $"append a {taskEvent.Type} event to task {taskEvent.Task}");
            if (!_events.TryGetValue(taskEvent.Task, out var list))
            {
                _events[taskEvent.Task] = list = [];
            }

            list.Add(taskEvent);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AddArtifactAsync(TaskKey task, ArtifactRecord artifact, string runnerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        lock (_gate)
        {
            EnsureMayWrite(task, runnerId, $"record the artifact {artifact.Name} of task {task}");
            var now = _time.GetUtcNow();
            _tasks[task] = _tasks.TryGetValue(task, out var old)
                ? old with { Artifacts = [.. old.Artifacts.Where(a => a.Name != artifact.Name), artifact], UpdatedAt = now }
                : new TaskRecord(task, TaskState.Pending, null, now, [artifact]);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TaskRecord?> GetTaskAsync(TaskKey task, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_tasks.TryGetValue(task, out var record) ? record : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskEvent>> GetEventsAsync(TaskKey task, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<TaskEvent>>(_events.TryGetValue(task, out var list) ? [.. list] : []);
        }
    }

    /// <inheritdoc />
    /// <remarks>A runner whose claim lapsed is no longer listed.</remarks>
    public Task<IReadOnlyList<RunnerRegistration>> GetRunnersAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var lapsed = _claims.Values.Where(c => c.HasLapsed(now)).Select(c => c.Holder).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult<IReadOnlyList<RunnerRegistration>>([.. _runners.Values.Where(r => !lapsed.Contains(r.RunnerId))]);
        }
    }
}
