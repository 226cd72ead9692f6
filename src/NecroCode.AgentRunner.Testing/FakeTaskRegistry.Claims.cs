namespace NecroCode.AgentRunner.Testing;

// The claim rules, shared with FakeTaskQueue; every member here runs under _gate.
public sealed partial class FakeTaskRegistry
{
    /// <summary>Runs <paramref name="action"/> under the registry's lock.</summary>
    internal T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            return action();
        }
    }

    /// <summary>The task's record, under the lock.</summary>
    internal TaskRecord? RecordOf(TaskKey task) => _tasks.GetValueOrDefault(task);

    /// <summary>Writes the task's record, under the lock.</summary>
    internal void Put(TaskRecord record) => _tasks[record.Task] = record;

    /// <summary>Whether a claim of the task by a new runner would succeed: nobody holds it, or its holder is gone.</summary>
    internal bool IsFree(TaskKey task) => LiveHolder(task) is null;

    /// <summary>The runner that holds the task and still counts as alive, or null.</summary>
    internal string? LiveHolder(TaskKey task)
    {
        if (HolderOf(task) is { } claim)
        {
            return claim.HasLapsed(_time.GetUtcNow()) || !_runners.ContainsKey(claim.Holder) ? null : claim.Holder;
        }

        // Running without a claim (a state set directly): held while that runner is registered.
        return _tasks.TryGetValue(task, out var record) && record is { State: TaskState.Running, RunnerId: { } runner } && _runners.ContainsKey(runner) ? runner : null;
    }

    /// <summary>Claims the task for <paramref name="runnerId"/> unless another live runner holds it.</summary>
    internal TaskClaim ClaimHeld(TaskKey task, string runnerId)
    {
        if (LiveHolder(task) is { } holder && holder != runnerId)
        {
            return new TaskClaim(false, holder);
        }

        var now = _time.GetUtcNow();
        var fence = _fences.GetValueOrDefault(task) + 1;
        _fences[task] = fence;
        var claim = new FakeClaim(runnerId, fence, ExpiryFromNow(), Expired: false);
        _claims[task] = claim;
        _tasks[task] = _tasks.TryGetValue(task, out var record)
            ? record with { State = TaskState.Running, RunnerId = runnerId, UpdatedAt = now }
            : new TaskRecord(task, TaskState.Running, runnerId, now, []);
        return new TaskClaim(true, null, fence, claim.ExpiresAt);
    }

    /// <summary>Hands the task back (Pending) for its holder, or refuses a runner that does not hold it.</summary>
    internal void Return(TaskKey task, string runnerId)
    {
        EnsureHolds(task, runnerId, $"hand task {task} back");
        _claims.Remove(task);
        _tasks[task] = _tasks[task] with { State = TaskState.Pending, UpdatedAt = _time.GetUtcNow() };
        Signal();
    }

    /// <summary>A task that completes at the next change that may make a task claimable.</summary>
    internal Task Changed => _changed.Task;

    /// <summary>Wakes whoever waits for <see cref="Changed"/>.</summary>
    internal void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    /// <summary>The claim of a Running task, live or not.</summary>
    private FakeClaim? HolderOf(TaskKey task) =>
        _claims.TryGetValue(task, out var claim) && _tasks.TryGetValue(task, out var record) && record.State == TaskState.Running ? claim : null;

    /// <summary>Refuses a write about a held task by anyone but its holder under a live claim.</summary>
    private void EnsureMayWrite(TaskKey task, string runnerId, string what)
    {
        if (HolderOf(task) is not { } claim)
        {
            return;
        }

        if (claim.Holder == runnerId)
        {
            EnsureHolds(task, runnerId, what);
        }
        else if (LiveHolder(task) is { } holder)
        {
            throw new ClaimLostException($"Runner {runnerId} may not {what}: runner {holder} holds it.", task, runnerId, holder);
        }
    }

    private void EnsureHolds(TaskKey task, string runnerId, string what)
    {
        var claim = HolderOf(task);
        if (claim is null || claim.Holder != runnerId || claim.HasLapsed(_time.GetUtcNow()))
        {
            var holder = claim is not null && claim.Holder != runnerId ? claim.Holder : null;
            var why = claim is null ? "it does not hold the task" : holder is not null ? $"runner {holder} holds it now" : "its claim lapsed";
            throw new ClaimLostException($"Runner {runnerId} may not {what}: {why}.", task, runnerId, holder);
        }
    }

    private DateTimeOffset? ExpiryFromNow() => LeaseDuration is { } lease ? _time.GetUtcNow() + lease : null;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A claim: its holder, fencing number and expiry, and whether it was made to lapse.</summary>
    private sealed record FakeClaim(string Holder, long Fence, DateTimeOffset? ExpiresAt, bool Expired)
    {
        public bool HasLapsed(DateTimeOffset now) => Expired || now >= ExpiresAt;
    }
}
