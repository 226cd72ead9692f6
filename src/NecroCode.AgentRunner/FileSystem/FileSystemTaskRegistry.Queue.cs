namespace NecroCode.AgentRunner.FileSystem;

// What FileSystemTaskQueue does with the registry's files: the same task locks, records and liveness rules.
public sealed partial class FileSystemTaskRegistry
{
    /// <summary>The folder of the task records (and the queue files beside them).</summary>
    internal string TasksFolder => Path.Combine(_root, "tasks");

    /// <summary>The queue file of <paramref name="task"/>.</summary>
    internal string QueuePath(TaskKey task) => TaskPath(task, QueuedTaskFile.Suffix);

    /// <summary>Runs <paramref name="action"/> under the task's exclusive lock; file errors become <see cref="RegistryException"/>s.</summary>
    internal async Task<T> UnderTaskLockAsync<T>(TaskKey task, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        using (await LockAsync(task, FileLockMode.Exclusive, cancellationToken).ConfigureAwait(false))
        {
            return await GuardAsync(TaskPath(task, ".json"), action).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the task's record with its claim.</summary>
    internal Task<StoredTask?> ReadStoredAsync(TaskKey task, CancellationToken cancellationToken)
    {
        var path = TaskPath(task, ".json");
        return GuardAsync(path, () => StoredTask.ReadAsync(task, path, cancellationToken));
    }

    /// <summary>Writes the task's record with its claim (under the task's lock).</summary>
    internal Task WriteStoredAsync(StoredTask stored, CancellationToken cancellationToken)
    {
        var path = TaskPath(stored.Record.Task, ".json");
        return GuardAsync(path, () => stored.WriteAsync(path, cancellationToken));
    }

    /// <summary>The runner that holds the task Running and is still alive; null when nobody does.</summary>
    internal async Task<string?> LiveHolderAsync(StoredTask? stored, CancellationToken cancellationToken)
    {
        var holder = stored?.HeldBy ?? (stored?.Record is { State: TaskState.Running, RunnerId: { } runner } ? runner : null);
        return holder is not null && await WhyGoneAsync(holder, cancellationToken).ConfigureAwait(false) is null ? holder : null;
    }

    /// <summary>Refuses <paramref name="runnerId"/> unless it holds the task under a live claim.</summary>
    /// <exception cref="ClaimLostException">It does not.</exception>
    internal void EnsureHolds(TaskKey task, StoredTask? stored, string runnerId, string what)
    {
        var holder = stored?.HeldBy;
        if (string.Equals(holder, runnerId, StringComparison.Ordinal) && File.Exists(RunnerPath(runnerId, nameof(runnerId))))
        {
            return;
        }

        var why = holder is null ? "it does not hold the task" : string.Equals(holder, runnerId, StringComparison.Ordinal) ? "its claim lapsed (it is no longer registered)" : $"runner {holder} holds the task";
        Log.WriteRefused(_logger, task.ToString(), runnerId, why);
        throw new ClaimLostException($"Runner {runnerId} may not {what}: {why}.", task, runnerId, string.Equals(holder, runnerId, StringComparison.Ordinal) ? null : holder);
    }
}
